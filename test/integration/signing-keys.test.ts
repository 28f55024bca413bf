// Access-token signing keys in the real database (SQLite, or PostgreSQL with TEST_DATABASE=postgresql): made once
// however many instances start together, rotated without a gap, retired when no token of theirs can be alive.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/db.server";
import { forgetKeyring, keyring, publishDelaySeconds, retireAfterSeconds, storedKeys } from "@/lib/keys/keyring.server";
import { rotateSigningKey, RotationError } from "@/lib/keys/rotation.server";
import { unseal } from "@/lib/keys/sealing.server";
import { sessionConfig } from "@/lib/config";
import { signAccessToken, verifyAccessToken } from "@/lib/tokens/access-tokens.server";

const subject = { userId: "user-1", sessionId: "session-0123456789abcdef", role: "user" as const, authTime: new Date() };
const kidOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()).kid as string;
const later = (from: Date, seconds: number) => new Date(from.getTime() + seconds * 1000);

/** Runs with the clock at `when` and a keyring read afresh, as an instance reading the rows then would. */
async function atTime<T>(when: Date, work: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ["Date"], now: when });
  forgetKeyring();
  try {
    return await work();
  } finally {
    vi.useRealTimers();
  }
}

beforeEach(async () => {
  await db.signingKey.deleteMany();
  forgetKeyring();
});
afterEach(() => vi.useRealTimers());

describe("the first key", () => {
  it("is made once when 20 instances find no key at the same moment, and all of them use it", async () => {
    const seen = await Promise.all(Array.from({ length: 20 }, () => storedKeys()));
    expect(await db.signingKey.count()).toBe(1);
    const [only] = await db.signingKey.findMany();
    for (const keys of seen) expect(keys.map((key) => key.kid)).toEqual([only!.kid]);
    expect(only).toMatchObject({ generation: 1, alg: "ES256" });
  });

  it("is stored with its private half sealed under SESSION_SECRET and its public half as a JWK", async () => {
    await storedKeys();
    const row = (await db.signingKey.findFirst())!;
    const pem = unseal(row.encryptedPrivateKey, row.kid, [sessionConfig().signingSecret]);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    // The key is in the row in none of its usual encodings. (Not a pattern such as "MIG", a DER key's usual first
    // characters: random ciphertext holds those three now and then.)
    const der = pem.replace(/-----[^-]+-----|\s/g, "");
    for (const plain of ["PRIVATE KEY", der, Buffer.from(der, "base64").toString("base64url"), Buffer.from(pem).toString("base64url")]) {
      expect(row.encryptedPrivateKey).not.toContain(plain);
    }
    expect(Object.keys(JSON.parse(row.publicJwk)).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);
  });
});

describe("a rotation", () => {
  it("publishes the next key, signs with it one JWKS cache period later, and retires the old one after its tokens expire", async () => {
    const start = new Date();
    const oldToken = await atTime(start, async () => (await signAccessToken(subject)).token);
    const oldKid = kidOf(oldToken);
    const { kid: newKid, activatesAt } = await rotateSigningKey(start);
    expect(activatesAt).toEqual(later(start, publishDelaySeconds()));

    // Published at once, not yet signing: verifiers fetch it first.
    await atTime(later(start, 1), async () => {
      expect((await keyring()).published().map((key) => key.kid)).toEqual([oldKid, newKid]);
      expect(kidOf((await signAccessToken(subject)).token)).toBe(oldKid);
    });
    // Signing moves at the activation; the old key's tokens still verify.
    await atTime(activatesAt, async () => {
      expect(kidOf((await signAccessToken(subject)).token)).toBe(newKid);
      await expect(verifyAccessToken(oldToken)).resolves.toMatchObject({ userId: "user-1" });
    });
    // Once its last possible token has expired, the old key leaves the JWKS, and the next rotation deletes it.
    const retired = later(activatesAt, retireAfterSeconds());
    await atTime(retired, async () => {
      expect((await keyring()).published().map((key) => key.kid)).toEqual([newKid]);
      expect((await rotateSigningKey(retired)).retired).toEqual([oldKid]);
    });
    expect((await db.signingKey.findMany()).map((row) => row.kid)).not.toContain(oldKid);
  });

  it("is refused while the key it would follow has yet to sign, and of two at once exactly one publishes", async () => {
    await storedKeys();
    const now = new Date();
    const results = await Promise.allSettled([rotateSigningKey(now), rotateSigningKey(now)]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refusal = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
    expect(refusal.reason).toBeInstanceOf(RotationError);
    expect(refusal.reason.code).toBe("pending");
    expect(await db.signingKey.count()).toBe(2);
    await expect(rotateSigningKey(now)).rejects.toMatchObject({ code: "pending" });
  });
});
