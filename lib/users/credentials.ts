// Email and password rules: pure functions, the same at sign-up and sign-in.
import { isCommonPassword } from "../passwords/common-passwords";
import type { PasswordPolicy } from "../config";

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

export const MAX_EMAIL_LENGTH = 254;

// The HTML standard's "valid email address", with a dot required in the domain: what browsers accept in
// <input type=email>, minus addresses no mail provider hands out. ASCII only, so look-alike and zero-width
// characters cannot make a second spelling of an address that is already taken.
const EMAIL_PATTERN =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** Trimmed, Unicode NFC, lower-cased: the one form an email is stored and compared in. */
export function normalizeEmail(raw: string): string {
  return raw.trim().normalize("NFC").toLowerCase();
}

export function checkEmail(raw: unknown): Checked<string> {
  if (typeof raw !== "string" || raw.trim() === "") return { ok: false, error: "Enter your email address." };
  if (raw.length > MAX_EMAIL_LENGTH * 4) return { ok: false, error: "Enter a valid email address." };
  const email = normalizeEmail(raw);
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(email)) {
    return { ok: false, error: "Enter a valid email address, like name@example.com." };
  }
  return { ok: true, value: email };
}

/** Counts characters (Unicode code points), not UTF-16 units or bytes: an emoji is one character. */
export function characterCount(text: string): number {
  return Array.from(text).length;
}

/**
 * The password as it is hashed: NFKC-normalized (NIST SP 800-63B-4), so the same password typed on another
 * keyboard or platform still matches. Length limits only, no composition rules, no list.
 */
export function checkPasswordRules(raw: unknown, policy: PasswordPolicy): Checked<string> {
  if (typeof raw !== "string" || raw.length === 0) return { ok: false, error: "Enter a password." };
  // A cheap bound before normalizing: no string longer than this can have maxLength characters after NFKC.
  if (raw.length > policy.maxLength * 4) return { ok: false, error: tooLong(policy) };
  // U+FFFD is what bytes that are not UTF-8 decode to: keeping it would store a password nobody can type.
  if (raw.includes("\uFFFD")) {
    return { ok: false, error: "Your password contains characters that could not be read. Please type it again." };
  }
  const password = raw.normalize("NFKC");
  const length = characterCount(password);
  if (length < policy.minLength) {
    return { ok: false, error: `Use at least ${policy.minLength} characters (you typed ${length}).` };
  }
  if (length > policy.maxLength) return { ok: false, error: tooLong(policy) };
  return { ok: true, value: password };
}

/** The rules, then the bundled list of common passwords: everything that can be judged without the network. */
export function checkNewPassword(raw: unknown, policy: PasswordPolicy): Checked<string> {
  const checked = checkPasswordRules(raw, policy);
  if (checked.ok && isCommonPassword(checked.value)) {
    return { ok: false, error: "This password is on a list of the most common passwords. Choose another." };
  }
  return checked;
}

function tooLong(policy: PasswordPolicy): string {
  return `Use at most ${policy.maxLength} characters.`;
}

/**
 * A password typed at sign-in, normalized like a new one; null when it is longer than any stored password can
 * be. That is refused before hashing, so nobody can make the server hash megabytes.
 */
export function normalizeSignInPassword(raw: string, policy: PasswordPolicy): string | null {
  if (raw.length > policy.maxLength * 4) return null;
  const password = raw.normalize("NFKC");
  return characterCount(password) > policy.maxLength ? null : password;
}
