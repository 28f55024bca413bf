// Tokens an attacker would send, made byte for byte: jose itself refuses to sign several of them. Shared by the
// unit tests of the verifier and the e2e tests that send them over HTTP.

const HASH_OF: Record<string, string> = { HS256: "SHA-256", HS384: "SHA-384", HS512: "SHA-512" };

export const b64url = (value: string | Uint8Array) => Buffer.from(value).toString("base64url");

/** Signs any header and payload text with HMAC (the hash follows header.alg; SHA-256 otherwise). */
export async function signRaw(
  header: Record<string, unknown>,
  payload: string,
  secret: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const hash = HASH_OF[String(header.alg)] ?? "SHA-256";
  const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash }, false, ["sign"]);
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(payload)}`;
  const signature = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(signingInput));
  return `${signingInput}.${b64url(new Uint8Array(signature))}`;
}

/** An unsigned token: `alg` as given, empty signature. */
export function unsigned(alg: string, claims: Record<string, unknown>): string {
  return `${b64url(JSON.stringify({ alg, typ: "JWT" }))}.${b64url(JSON.stringify(claims))}.`;
}

/** Signs any header and payload text with an ECDSA P-256 or RSA private key, as ES256 and RS256 do. */
export async function signRawWithKey(header: Record<string, unknown>, payload: string, key: CryptoKey): Promise<string> {
  const algorithm = key.algorithm.name === "ECDSA" ? { name: "ECDSA", hash: "SHA-256" } : { name: "RSASSA-PKCS1-v1_5" };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(payload)}`;
  const signature = await crypto.subtle.sign(algorithm, key, new TextEncoder().encode(signingInput));
  return `${signingInput}.${b64url(new Uint8Array(signature))}`;
}
