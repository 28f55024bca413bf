import "server-only";
// The private half of a signing key at rest: AES-256-GCM under a key derived from SESSION_SECRET with HKDF, so a
// copy of the database alone cannot mint access tokens. The kid is authenticated with it: a sealed key moved to
// another row does not open.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const FORMAT = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
// The label keeps this key apart from any other use of the same secret (the HMAC cookie key is the secret itself).
const HKDF_INFO = "tessera signing-key encryption v1";

/** No configured secret opens this sealed key: SESSION_SECRET changed without keeping the old one. */
export class UnsealError extends Error {
  override name = "UnsealError";
  constructor(kid: string) {
    super(`signing key ${kid} cannot be decrypted with SESSION_SECRET or SESSION_PREVIOUS_SECRETS; run \`npm run keys:rotate\``);
  }
}

function wrappingKey(secret: Uint8Array): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, new Uint8Array(0), HKDF_INFO, 32));
}

export function seal(plaintext: string, kid: string, secret: Uint8Array): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", wrappingKey(secret), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(kid));
  const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return [FORMAT, iv.toString("base64url"), sealed.toString("base64url")].join(".");
}

function tryUnseal(iv: Buffer, sealed: Buffer, kid: string, secret: Uint8Array): string | null {
  try {
    const decipher = createDecipheriv("aes-256-gcm", wrappingKey(secret), iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(kid));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/** Opens a sealed key with the first of the secrets that fits (the current one, then those being rotated out). */
export function unseal(value: string, kid: string, secrets: readonly Uint8Array[]): string {
  const [format, iv, sealed] = value.split(".");
  if (format !== FORMAT || !iv || !sealed) throw new UnsealError(kid);
  for (const secret of secrets) {
    const plaintext = tryUnseal(Buffer.from(iv, "base64url"), Buffer.from(sealed, "base64url"), kid, secret);
    if (plaintext !== null) return plaintext;
  }
  throw new UnsealError(kid);
}
