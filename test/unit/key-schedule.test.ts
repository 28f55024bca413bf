// Which access-token key signs, and which are published, at any moment of a rotation.
import { describe, expect, it } from "vitest";
import { publishedKeysAt, retiredKeysAt, signingKeyAt } from "@/lib/keys/schedule";

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 25) + seconds * 1000);
const key = (generation: number, activatesAtSeconds: number) => ({ kid: `k${generation}`, generation, activatesAt: at(activatesAtSeconds) });
const kids = (keys: { kid: string }[]) => keys.map((k) => k.kid);

// Key 1 signs from 0; key 2 is published at 1000 and signs from 1610 (600 s cache + 10 s refresh); tokens live 905 s.
const keys = [key(2, 1610), key(1, 0)];
const RETIRE_AFTER = 905;

describe("the key schedule", () => {
  it("signs with the newest key already active, never with one still waiting to be fetched", () => {
    expect(signingKeyAt(keys, at(1000))?.kid).toBe("k1");
    expect(signingKeyAt(keys, at(1609))?.kid).toBe("k1");
    expect(signingKeyAt(keys, at(1610))?.kid).toBe("k2");
    expect(signingKeyAt([], at(0))).toBeUndefined();
  });

  it("publishes the next key before it signs, and the previous one until its last token has expired", () => {
    expect(kids(publishedKeysAt(keys, at(1000), RETIRE_AFTER))).toEqual(["k1", "k2"]);
    expect(kids(publishedKeysAt(keys, at(1610 + RETIRE_AFTER - 1), RETIRE_AFTER))).toEqual(["k1", "k2"]);
    expect(kids(publishedKeysAt(keys, at(1610 + RETIRE_AFTER), RETIRE_AFTER))).toEqual(["k2"]);
  });

  it("retires exactly the keys no longer published", () => {
    expect(kids(retiredKeysAt(keys, at(2000), RETIRE_AFTER))).toEqual([]);
    expect(kids(retiredKeysAt(keys, at(1610 + RETIRE_AFTER), RETIRE_AFTER))).toEqual(["k1"]);
  });

  it("keeps every key that may still have live tokens across rotations in quick succession", () => {
    const three = [key(1, 0), key(2, 100), key(3, 200)];
    expect(kids(publishedKeysAt(three, at(250), RETIRE_AFTER))).toEqual(["k1", "k2", "k3"]);
    expect(kids(publishedKeysAt(three, at(100 + RETIRE_AFTER), RETIRE_AFTER))).toEqual(["k2", "k3"]);
  });
});
