// Base32 (RFC 4648, upper case, no padding): how authenticator apps take a TOTP secret, and the alphabet of
// recovery codes (letters and the digits 2-7 only: no 0 or 1 to mistake for O or I). Pure.

import { decodeBase32IgnorePadding, encodeBase32NoPadding } from "@oslojs/encoding";

export const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Base32 without padding, as authenticator apps take a secret. */
export function encodeBase32(bytes: Uint8Array): string {
  return encodeBase32NoPadding(bytes);
}

/** Decodes base32 (any case, spaces ignored); null when it is not base32. */
export function decodeBase32(text: string): Uint8Array | null {
  const clean = text.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z2-7]*$/.test(clean)) return null;
  try {
    return decodeBase32IgnorePadding(clean);
  } catch {
    // A length no encoder produces (1, 3 or 6 characters past a whole block).
    return null;
  }
}

/** "JBSW Y3DP EHPK 3PXP": a secret in groups of four, for reading it aloud or typing it in. */
export function groupForReading(text: string, size = 4): string {
  return (text.match(new RegExp(`.{1,${size}}`, "g")) ?? []).join(" ");
}
