import { describe, expect, it } from "vitest";
import { characterCount, checkEmail, checkNewPassword, normalizeEmail, normalizeSignInPassword } from "@/lib/users/credentials";

const policy = { minLength: 15, maxLength: 128 };

describe("emails", () => {
  it("are trimmed and lower-cased before they are stored or compared", () => {
    expect(normalizeEmail("  Ada.Lovelace@Example.COM \n")).toBe("ada.lovelace@example.com");
    expect(checkEmail(" Ada@Example.com ")).toEqual({ ok: true, value: "ada@example.com" });
  });

  it.each(["", "   ", "ada", "ada@", "@example.com", "ada@example", "ada @example.com", "ada@exa mple.com"])(
    "refuses %j with a message",
    (raw) => {
      const result = checkEmail(raw);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/email/i);
    },
  );

  it("refuses look-alike and zero-width characters instead of storing a second spelling", () => {
    expect(checkEmail("ada\u200b@example.com").ok).toBe(false);
    expect(checkEmail("аda@example.com").ok).toBe(false); // Cyrillic а
  });

  it("refuses oversized input and non-strings", () => {
    expect(checkEmail(`${"a".repeat(100_000)}@example.com`).ok).toBe(false);
    expect(checkEmail(`${"a".repeat(250)}@example.com`).ok).toBe(false);
    expect(checkEmail(undefined).ok).toBe(false);
    expect(checkEmail(42).ok).toBe(false);
  });
});

describe("new passwords", () => {
  it("need at least the minimum, counted in characters, with no composition rules", () => {
    expect(checkNewPassword("a".repeat(15), policy)).toEqual({ ok: true, value: "a".repeat(15) });
    const short = checkNewPassword("a".repeat(14), policy);
    expect(short).toEqual({ ok: false, error: "Use at least 15 characters (you typed 14)." });
  });

  it("count emoji and accented letters as one character each, not as bytes or UTF-16 units", () => {
    expect(characterCount("🔐🔐🔐")).toBe(3);
    // 15 emoji are 30 UTF-16 units and 60 UTF-8 bytes, but 15 characters.
    expect(checkNewPassword("🔐".repeat(15), policy).ok).toBe(true);
    expect(checkNewPassword("🔐".repeat(14), policy).ok).toBe(false);
    expect(checkNewPassword("é".repeat(128), policy).ok).toBe(true);
  });

  it("are NFKC-normalized, so one password typed two ways is the same password", () => {
    const composed = checkNewPassword("café café café café", policy);
    const decomposed = checkNewPassword("cafe\u0301 cafe\u0301 cafe\u0301 cafe\u0301", policy);
    expect(composed).toEqual(decomposed);
  });

  it("refuse more than 128 characters, and 100 KB without normalizing it", () => {
    expect(checkNewPassword("a".repeat(129), policy)).toEqual({ ok: false, error: "Use at most 128 characters." });
    expect(checkNewPassword("a".repeat(100_000), policy).ok).toBe(false);
  });

  it("refuse bytes that were not UTF-8 (decoded to U+FFFD) instead of storing an untypable password", () => {
    const result = checkNewPassword("\uFFFD".repeat(20), policy);
    expect(result).toEqual({
      ok: false,
      error: "Your password contains characters that could not be read. Please type it again.",
    });
  });

  it("refuse the most common passwords, whatever their case, with the reason", () => {
    for (const common of ["1qaz2wsx3edc4rfv", "123456789QWERTY", "qazwsxedcrfvtgb"]) {
      expect(checkNewPassword(common, policy)).toEqual({
        ok: false,
        error: "This password is on a list of the most common passwords. Choose another.",
      });
    }
    // Short common ones are refused too once the minimum allows them.
    expect(checkNewPassword("password", { minLength: 8, maxLength: 128 }).ok).toBe(false);
    expect(checkNewPassword("correct horse battery staple", policy).ok).toBe(true);
  });

  it("refuse a missing password", () => {
    expect(checkNewPassword("", policy).ok).toBe(false);
    expect(checkNewPassword(undefined, policy).ok).toBe(false);
  });
});

describe("sign-in passwords", () => {
  it("are normalized like new ones", () => {
    expect(normalizeSignInPassword("cafe\u0301", policy)).toBe("café");
  });

  it("are refused before hashing when longer than any stored password", () => {
    expect(normalizeSignInPassword("a".repeat(129), policy)).toBeNull();
    expect(normalizeSignInPassword("a".repeat(100_000), policy)).toBeNull();
    expect(normalizeSignInPassword("a".repeat(128), policy)).toBe("a".repeat(128));
  });
});
