// The session cookie as the browser holds it, and tokens made to attack it.
import type { BrowserContext } from "@playwright/test";
import { readSessionConfig } from "../../lib/config";
import { keyId } from "../../lib/tokens/jwt";
import { signRaw } from "../../test/support/forge";

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
    sid: `forged-session-${now}-${Math.random()}`,
    jti: `forged-token-${now}-${Math.random()}`,
    role: "user",
    auth_time: now,
    iat: now,
    exp: now + 3600,
    iss: issuer,
    aud: audience,
    ...overrides,
  };
}

/** A token signed with the server's real key. */
export async function signedToken(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const { signingSecret } = serverSessionConfig();
  const kid = await keyId(signingSecret);
  return signRaw({ alg: "HS256", typ: "JWT", kid, ...header }, JSON.stringify(claims), signingSecret);
}
