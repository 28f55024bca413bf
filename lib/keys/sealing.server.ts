import "server-only";
// Secrets at rest: AES-256-GCM under a key derived from SESSION_SECRET with HKDF, so a copy of the database alone
// opens nothing. Each use has its own purpose label (the HKDF info), so the key that seals signing keys never
// seals anything else, and each sealed value is bound to its row by additional data (a kid, a user id): moved to
// another row, it does not open. SESSION_PREVIOUS_SECRETS still open what an earlier secret sealed.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { TesseraError } from "../errors";

const FORMAT = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * What a sealed value is, and the HKDF info its key is derived with. The labels keep each use apart from every
 * other use of the same secret (the HMAC cookie key is the secret itself). Never change a label: values sealed
 * under it would no longer open.
 */
export const SEALING_PURPOSES = {
  /** The private half of an access-token signing key; additional data: its kid. */
  "signing-key": "tessera signing-key encryption v1",
  /** An authenticator app's TOTP secret; additional data: the user id. */
  "totp-secret": "tessera totp-secret encryption v1",
  /** A provider sign-in under way (state, nonce, PKCE verifier) in its cookie; additional data: the provider id. */
  "provider-transaction": "tessera provider-transaction encryption v1",
} as const;

export type SealingPurpose = keyof typeof SEALING_PURPOSES;

/** No configured secret opens this sealed value: SESSION_SECRET changed without keeping the old one. */
export class UnsealError extends TesseraError<"unseal"> {
  static readonly code = "unseal";
  override name = "UnsealError";
  constructor(boundTo: string, purpose: SealingPurpose = "signing-key") {
    super(
      UnsealError.code,
      purpose === "signing-key"
        ? `signing key ${boundTo} cannot be decrypted with SESSION_SECRET or SESSION_PREVIOUS_SECRETS; run \`npm run keys:rotate\``
        : `the ${purpose} of ${boundTo} cannot be decrypted with SESSION_SECRET or SESSION_PREVIOUS_SECRETS`,
    );
  }
}

/** A 256-bit key for one purpose, derived from a configured secret; `info` is that purpose's fixed label. */
export function derivedKey(secret: Uint8Array, info: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, new Uint8Array(0), info, 32));
}

function wrappingKey(secret: Uint8Array, purpose: SealingPurpose): Buffer {
  return derivedKey(secret, SEALING_PURPOSES[purpose]);
}

/** Seals `plaintext` for `purpose`, bound to `boundTo` (authenticated, not encrypted). */
export function sealFor(purpose: SealingPurpose, plaintext: string, boundTo: string, secret: Uint8Array): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", wrappingKey(secret, purpose), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(boundTo));
  const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return [FORMAT, iv.toString("base64url"), sealed.toString("base64url")].join(".");
}

function tryUnseal(purpose: SealingPurpose, iv: Buffer, sealed: Buffer, boundTo: string, secret: Uint8Array): string | null {
  try {
    const decipher = createDecipheriv("aes-256-gcm", wrappingKey(secret, purpose), iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/** Opens a sealed value with the first of the secrets that fits (the current one, then those being rotated out). */
export function unsealFor(purpose: SealingPurpose, value: string, boundTo: string, secrets: readonly Uint8Array[]): string {
  const [format, iv, sealed] = value.split(".");
  if (format !== FORMAT || !iv || !sealed) throw new UnsealError(boundTo, purpose);
  for (const secret of secrets) {
    const plaintext = tryUnseal(purpose, Buffer.from(iv, "base64url"), Buffer.from(sealed, "base64url"), boundTo, secret);
    if (plaintext !== null) return plaintext;
  }
  throw new UnsealError(boundTo, purpose);
}

/** A signing key's private half, sealed under its kid. */
export function seal(plaintext: string, kid: string, secret: Uint8Array): string {
  return sealFor("signing-key", plaintext, kid, secret);
}

/** Opens a signing key's private half sealed by `seal`. */
export function unseal(value: string, kid: string, secrets: readonly Uint8Array[]): string {
  return unsealFor("signing-key", value, kid, secrets);
}
