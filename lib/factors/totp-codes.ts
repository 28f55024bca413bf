// Time-based one-time passwords (RFC 6238) as every authenticator app makes them: HMAC-SHA-1, 6 digits, 30-second
// steps. Pure: which steps a code may belong to, and the code of a step. Replay (a step used once) is the
// database's part (totp.server.ts).
import { generateHOTP } from "@oslojs/otp";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of the current one: one step (30 s) of clock drift, as RFC 6238 section 5.2 suggests. */
export const TOTP_DRIFT_STEPS = 1;
/** 160 bits, as RFC 4226 recommends for HMAC-SHA-1. */
export const TOTP_SECRET_BYTES = 20;

export function timeStep(now: Date = new Date()): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

export function codeForStep(key: Uint8Array, step: number): string {
  return generateHOTP(key, BigInt(step), TOTP_DIGITS);
}

/** A code as typed ("123 456", "123-456"), reduced to its digits; null when it is not six digits. */
export function normalizeTotpCode(raw: string): string | null {
  const digits = raw.replace(/[\s-]/g, "");
  return /^\d{6}$/.test(digits) ? digits : null;
}

function sameCode(a: string, b: string): boolean {
  // Both are six ASCII digits: compare every character whatever the first difference.
  let difference = a.length ^ b.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/**
 * The time step within one step of `now` whose code this is, the newest that matches, or null. Every candidate is
 * computed and compared, so the time taken does not say which one matched.
 */
export function matchingStep(key: Uint8Array, code: string, now: Date = new Date()): number | null {
  const current = timeStep(now);
  let found: number | null = null;
  for (let step = current - TOTP_DRIFT_STEPS; step <= current + TOTP_DRIFT_STEPS; step++) {
    if (sameCode(codeForStep(key, step), code)) found = step;
  }
  return found;
}

/** otpauth://totp/Tessera:ada%40example.com?secret=…&issuer=Tessera&…: what the QR code carries. */
export function otpauthUri(secretBase32: string, accountName: string, issuer = "Tessera"): string {
  const params = new URLSearchParams({
    secret: secretBase32,
    issuer,
    algorithm: "SHA1",
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  });
  return `otpauth://totp/${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}?${params}`;
}
