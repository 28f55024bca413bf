import { describe, expect, it } from "vitest";
import { EVENT_KINDS, toEventKind } from "@/lib/activity/kinds";
import { describeEvent } from "@/lib/activity/messages";

describe("what a person reads about an event", () => {
  it("says every kind, in a sentence of its own", () => {
    const said = EVENT_KINDS.map((kind) => describeEvent({ kind, count: 1, details: {} }));
    expect(said.every((sentence) => sentence.length > 0)).toBe(true);
    expect(new Set(said).size).toBe(EVENT_KINDS.length);
  });

  it("says how a sign-in was made, how many attempts a row counts, which passkey, which role", () => {
    expect(describeEvent({ kind: "signed-in", count: 1, details: { method: "password+otp" } })).toBe("Signed in with password and authenticator app");
    expect(describeEvent({ kind: "sign-in-failed", count: 1, details: {} })).toBe("A failed sign-in attempt");
    expect(describeEvent({ kind: "sign-in-failed", count: 7, details: {} })).toBe("7 failed sign-in attempts");
    expect(describeEvent({ kind: "sign-in-throttled", count: 4, details: {} })).toBe("Sign-in throttled after too many attempts (4 attempts refused)");
    expect(describeEvent({ kind: "passkey-added", count: 1, details: { passkeyName: "Work laptop" } })).toBe("Passkey added: “Work laptop”");
    expect(describeEvent({ kind: "role-changed", count: 1, details: { role: "admin" } })).toBe("Role changed to admin");
  });

  it("knows only its own kinds", () => {
    expect(toEventKind("signed-in")).toBe("signed-in");
    expect(toEventKind("dropped-table")).toBeNull();
  });
});
