import "server-only";
// One spelling per ES256 token. An ECDSA signature (r, s) has a twin, (r, n - s), that verifies just as well, so
// every ES256 token has a second valid string with the same claims. Tokens are signed with the low s (at most
// n / 2, as Bitcoin and Ethereum require) and a high s is refused, so no cache, log or decision keyed on the
// token string can meet the same token twice under two names.

/** The order n of the P-256 group. */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const HALF_ORDER = P256_ORDER >> 1n;
/** A JWS ES256 signature: r and s, 32 bytes each, big-endian (RFC 7518 3.4). */
const COORDINATE_BYTES = 32;

function signatureOf(token: string): Buffer {
  return Buffer.from(token.slice(token.lastIndexOf(".") + 1), "base64url");
}

function sOf(signature: Buffer): bigint {
  return BigInt(`0x${signature.subarray(COORDINATE_BYTES).toString("hex")}`);
}

/** Whether an ES256 token's signature is the high-s twin (or not an ES256 signature at all). */
export function hasHighS(token: string): boolean {
  const signature = signatureOf(token);
  return signature.length !== 2 * COORDINATE_BYTES || sOf(signature) > HALF_ORDER;
}

/** The token with its ES256 signature in low-s form: itself when it already is. */
export function withLowS(token: string): string {
  const signature = signatureOf(token);
  const s = sOf(signature);
  if (s <= HALF_ORDER) return token;
  const low = Buffer.from((P256_ORDER - s).toString(16).padStart(2 * COORDINATE_BYTES, "0"), "hex");
  const twin = Buffer.concat([signature.subarray(0, COORDINATE_BYTES), low]).toString("base64url");
  return `${token.slice(0, token.lastIndexOf(".") + 1)}${twin}`;
}
