// The pure half of the authenticator app: RFC 6238's own test vector, one step of drift, the shapes codes are
// typed in, base32 both ways, and what a recovery code may look like.
import { describe, expect, it } from "vitest";
import { decodeBase32, encodeBase32, groupForReading } from "@/lib/factors/base32";
import { codeForStep, matchingStep, normalizeTotpCode, otpauthUri, timeStep } from "@/lib/factors/totp-codes";
import { newRecoveryCode, normalizeRecoveryCode } from "@/lib/factors/recovery-codes.server";

const RFC_KEY = new TextEncoder().encode("12345678901234567890");

describe("TOTP codes", () => {
  it("match RFC 6238's SHA-1 test vectors (their last six digits)", () => {
    expect(codeForStep(RFC_KEY, timeStep(new Date(59_000)))).toBe("287082");
    expect(codeForStep(RFC_KEY, timeStep(new Date(1111111109_000)))).toBe("081804");
    expect(codeForStep(RFC_KEY, timeStep(new Date(20000000000_000)))).toBe("353130");
  });

  it("are found one step either side of now, not two", () => {
    const now = new Date(1_800_000_000_000);
    const step = timeStep(now);
    for (const offset of [-1, 0, 1]) expect(matchingStep(RFC_KEY, codeForStep(RFC_KEY, step + offset), now)).toBe(step + offset);
    for (const offset of [-2, 2]) expect(matchingStep(RFC_KEY, codeForStep(RFC_KEY, step + offset), now)).toBeNull();
  });

  it("are read as typed, spaces and a hyphen aside, and nothing else", () => {
    expect(normalizeTotpCode(" 123 456 ")).toBe("123456");
    expect(normalizeTotpCode("123-456")).toBe("123456");
    for (const bad of ["", "12345", "1234567", "12345a", "１２３４５６"]) expect(normalizeTotpCode(bad)).toBeNull();
  });

  it("are set up from an otpauth URI naming the issuer and the account", () => {
    expect(otpauthUri("JBSWY3DPEHPK3PXP", "ada@example.com")).toBe(
      "otpauth://totp/Tessera:ada%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Tessera&algorithm=SHA1&digits=6&period=30",
    );
  });
});

describe("base32", () => {
  it("round-trips bytes, and groups a secret for reading", () => {
    const bytes = Uint8Array.from({ length: 20 }, (_, i) => i * 13);
    const text = encodeBase32(bytes);
    expect(text).toMatch(/^[A-Z2-7]{32}$/);
    expect(decodeBase32(text)).toEqual(bytes);
    expect(decodeBase32(groupForReading(text).toLowerCase())).toEqual(bytes);
    expect(encodeBase32(new TextEncoder().encode("foobar"))).toBe("MZXW6YTBOI");
    expect(decodeBase32("not base32!")).toBeNull();
    expect(groupForReading("ABCDEFGHIJ")).toBe("ABCD EFGH IJ");
  });
});

describe("recovery codes", () => {
  it("are 12 base32 characters (60 bits) in three groups, read back in any case and spacing", () => {
    const codes = Array.from({ length: 200 }, newRecoveryCode);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    expect(new Set(codes).size).toBe(200);
    expect(normalizeRecoveryCode(" ABCD-efgh ijkl ")).toBe("abcdefghijkl");
    for (const bad of ["abcd-efgh-ijk", "abcd-efgh-ijkl1", "abcd-efgh-ijk0", ""]) expect(normalizeRecoveryCode(bad)).toBeNull();
  });
});
