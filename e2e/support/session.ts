// The session cookie as the browser holds it, and tokens made to attack it.
import type { BrowserContext } from "@playwright/test";
import { readSessionConfig } from "../../lib/config";
import "./environment";
import { keyring } from "../../lib/keys/keyring.server";
import { FIRST_PARTY_CLIENT_ID } from "../../lib/tokens/access-tokens.server";
import { withLowS } from "../../lib/tokens/ecdsa-signatures.server";
import { keyId } from "../../lib/tokens/jwt";
import { signRaw, signRawWithKey } from "../../test/support/forge";
import { uniqueId } from "./users";

/** The production build names its cookie with the __Host- prefix. */
export const SESSION_COOKIE = "__Host-session";

export async function sessionCookie(context: BrowserContext) {
  return (await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE);
}

export function decodeClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
}

/** The e2e server's session settings (scripts/e2e.mjs hands the same SESSION_SECRET to both). */
export function serverSessionConfig() {
  return readSessionConfig({ ...process.env, NODE_ENV: "production" });
}

/** Claims the server would accept for a user and session, with any of them changed. */
export function claimsFor(userId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const { issuer, audience } = serverSessionConfig();
  return {
    sub: userId,
    sid: `forged-session-${uniqueId()}`,
    jti: `forged-token-${uniqueId()}`,
    role: "user",
    auth_time: now,
    iat: now,
    exp: now + 3600,
    iss: issuer,
    aud: audience,
    ...overrides,
  };
}

/**
 * A token signed with the server's real key: for `typ: at+jwt`, the access-token key that signs now (from the
 * database, as the server reads it) and a client_id; otherwise the cookies' HMAC secret. A header naming an HMAC
 * algorithm always gets the HMAC secret.
 */
export async function signedToken(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  return signedText({ ...(header.typ === "at+jwt" ? { client_id: FIRST_PARTY_CLIENT_ID } : {}), ...claims }, header, JSON.stringify);
}

/** Like signedToken, with any payload text (not JSON, say). */
export async function signedText<T>(payload: T, header: Record<string, unknown>, text: (payload: T) => string): Promise<string> {
  if (header.typ === "at+jwt" && !String(header.alg ?? "").startsWith("HS")) {
    const key = (await keyring()).signing();
    const token = await signRawWithKey({ alg: key.alg, kid: key.kid, ...header }, text(payload), await key.privateKey());
    // As the server signs: the low s of the two an ECDSA signature can have (the high one is refused).
    return key.alg === "ES256" ? withLowS(token) : token;
  }
  const { signingSecret } = serverSessionConfig();
  const kid = await keyId(signingSecret);
  return signRaw({ alg: "HS256", typ: "JWT", kid, ...header }, text(payload), signingSecret);
}
