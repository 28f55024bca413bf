// Base32 (RFC 4648, upper case, no padding): how authenticator apps take a TOTP secret, and the alphabet of
// recovery codes (letters and the digits 2-7 only: no 0 or 1 to mistake for O or I). Pure.

export const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function encodeBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let output = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) output += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return output;
}

/** Decodes base32 (any case, spaces ignored); null when it is not base32. */
export function decodeBase32(text: string): Uint8Array | null {
  const clean = text.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z2-7]*$/.test(clean)) return null;
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    value = (value << 5) | BASE32_ALPHABET.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Uint8Array.from(bytes);
}

/** "JBSW Y3DP EHPK 3PXP": a secret in groups of four, for reading it aloud or typing it in. */
export function groupForReading(text: string, size = 4): string {
  return (text.match(new RegExp(`.{1,${size}}`, "g")) ?? []).join(" ");
}
