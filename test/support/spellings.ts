// Other spellings of the same bytes in base64url. A lenient decoder (atob, which jose uses on Node 20) ignores
// the spare low bits of a segment's last character and a trailing `=`, so each of these decodes like the
// original. Shared by the verifier's unit tests and the e2e tests that send them over HTTP.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** How many low bits of the last character carry no data, by segment length modulo 4. */
const SPARE_BITS: Record<number, number> = { 0: 0, 2: 4, 3: 2 };

/**
 * Every spelling of `segment` that differs only in its last character's spare bits, the original first.
 * A segment whose last character has no spare bits has only itself.
 */
export function siblingSpellings(segment: string): string[] {
  const spare = SPARE_BITS[segment.length % 4] ?? 0;
  const value = ALPHABET.indexOf(segment.at(-1) ?? "");
  if (value < 0) throw new Error(`not base64url: ${segment}`);
  const data = value & ~((1 << spare) - 1);
  const spellings = Array.from({ length: 1 << spare }, (_, bits) => `${segment.slice(0, -1)}${ALPHABET[data | bits]}`);
  return [segment, ...spellings.filter((spelling) => spelling !== segment)];
}

/** The token with each of its signature's sibling spellings: the original is not among them. */
export function siblingSignatures(token: string): string[] {
  const [header, payload, signature] = token.split(".") as [string, string, string];
  return siblingSpellings(signature).slice(1).map((spelling) => `${header}.${payload}.${spelling}`);
}

/** The order n of the P-256 group, over which an ES256 signature's s is taken. */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/**
 * The ES256 token with its signature's twin: (r, n - s) verifies for the same header and claims (ECDSA is
 * malleable), yet it is another string. A verifier that accepts both gives one token two names.
 */
export function malleatedSignature(token: string): string {
  const [header, payload, signature] = token.split(".") as [string, string, string];
  const bytes = Buffer.from(signature, "base64url");
  if (bytes.length !== 64) throw new Error("not an ES256 signature");
  const s = BigInt(`0x${bytes.subarray(32).toString("hex")}`);
  const twin = Buffer.from((P256_ORDER - s).toString(16).padStart(64, "0"), "hex");
  return `${header}.${payload}.${Buffer.concat([bytes.subarray(0, 32), twin]).toString("base64url")}`;
}
