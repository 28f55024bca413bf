// Private keys at rest: sealed under a key derived from SESSION_SECRET, bound to their kid.
import { describe, expect, it } from "vitest";
import { seal, sealFor, unseal, unsealFor, UnsealError } from "@/lib/keys/sealing.server";

const secret = (fill: number) => new Uint8Array(32).fill(fill);
const PEM = "-----BEGIN PRIVATE KEY-----\nsecret material\n-----END PRIVATE KEY-----";

describe("sealing a private key", () => {
  it("opens with the secret it was sealed with, and with that secret among previous ones", () => {
    const sealed = seal(PEM, "kid-1", secret(1));
    expect(sealed).not.toContain("secret material");
    expect(unseal(sealed, "kid-1", [secret(1)])).toBe(PEM);
    expect(unseal(sealed, "kid-1", [secret(2), secret(1)])).toBe(PEM);
  });

  it("does not open with another secret, under another kid, or altered", () => {
    const sealed = seal(PEM, "kid-1", secret(1));
    expect(() => unseal(sealed, "kid-1", [secret(2)])).toThrow(UnsealError);
    expect(() => unseal(sealed, "kid-2", [secret(1)])).toThrow(UnsealError);
    const [format, iv, body] = sealed.split(".");
    const flipped = `${body!.slice(0, 5)}${body![5] === "A" ? "B" : "A"}${body!.slice(6)}`;
    expect(() => unseal(`${format}.${iv}.${flipped}`, "kid-1", [secret(1)])).toThrow(UnsealError);
    expect(() => unseal("v0.x.y", "kid-1", [secret(1)])).toThrow(UnsealError);
  });

  it("uses a fresh IV each time", () => {
    expect(seal(PEM, "kid-1", secret(1))).not.toBe(seal(PEM, "kid-1", secret(1)));
  });
});

describe("sealing for a purpose", () => {
  it("keeps purposes apart: a TOTP secret does not open as a signing key, nor the other way round", () => {
    const totp = sealFor("totp-secret", "JBSWY3DPEHPK3PXP", "user-1", secret(1));
    expect(unsealFor("totp-secret", totp, "user-1", [secret(1)])).toBe("JBSWY3DPEHPK3PXP");
    expect(() => unsealFor("signing-key", totp, "user-1", [secret(1)])).toThrow(UnsealError);
    expect(() => unsealFor("totp-secret", seal(PEM, "user-1", secret(1)), "user-1", [secret(1)])).toThrow(UnsealError);
  });

  it("opens a TOTP secret only for its user, and with a previous secret", () => {
    const totp = sealFor("totp-secret", "JBSWY3DPEHPK3PXP", "user-1", secret(1));
    expect(() => unsealFor("totp-secret", totp, "user-2", [secret(1)])).toThrow(UnsealError);
    expect(unsealFor("totp-secret", totp, "user-1", [secret(3), secret(1)])).toBe("JBSWY3DPEHPK3PXP");
  });
});
