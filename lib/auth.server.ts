import "server-only";
// The data access layer for sessions: the one place every page, server action and route handler asks "who is
// signed in?". Middleware has already checked the signature, but it cannot see the database; this checks the
// token again, the denylist, and that the user still exists.
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { sessionConfig } from "./config";
import { DatabaseUnavailableError } from "./db.server";
import { isTokenRevoked, revokeToken } from "./denylist.server";
import { signInPathFor } from "./routes";
import { expiredSessionCookieAttributes, sessionCookieAttributes } from "./session/cookie";
import { signSessionToken, verifySessionToken, type SessionClaims } from "./session/token";
import { findUserById, type User } from "./users.server";

export interface Session {
  user: User;
  claims: SessionClaims;
}

/** The claims of the request's session cookie when its signature and claims verify; null otherwise. */
async function verifiedCookieClaims(): Promise<SessionClaims | null> {
  const jar = await cookies();
  const config = sessionConfig();
  const token = jar.get(config.cookieName)?.value;
  if (!token) return null;
  try {
    return await verifySessionToken(token, config);
  } catch {
    return null;
  }
}

/**
 * The current session, or null when signed out. Cached for the length of one request. Throws
 * DatabaseUnavailableError when the denylist or the user cannot be read: never guess "signed in".
 */
export const getSession = cache(async (): Promise<Session | null> => {
  const claims = await verifiedCookieClaims();
  if (!claims) return null;
  let revoked: boolean, user: User | null;
  try {
    [revoked, user] = await Promise.all([isTokenRevoked(claims.tokenId), findUserById(claims.userId)]);
  } catch (error) {
    throw new DatabaseUnavailableError({ cause: error });
  }
  return revoked || !user ? null : { user, claims };
});

export async function getCurrentUser(): Promise<User | null> {
  return (await getSession())?.user ?? null;
}

/** The signed-in user; otherwise a redirect to sign-in that comes back to `returnTo`. */
export async function requireUser(returnTo: string): Promise<User> {
  const user = await getCurrentUser();
  if (!user) redirect(signInPathFor(returnTo));
  return user;
}

/** Signs the user in: a new token with a new id, replacing whatever cookie the browser had. */
export async function startSession(userId: string): Promise<void> {
  const config = sessionConfig();
  const { token } = await signSessionToken(userId, config);
  (await cookies()).set(config.cookieName, token, sessionCookieAttributes(config));
}

/**
 * Signs out: the token is revoked until it would have expired, and the cookie is deleted. Returns false when
 * there was no live session to end (no cookie, a bad one, or one already signed out).
 */
export async function endSession(): Promise<boolean> {
  const session = await getSession();
  if (session) await revokeToken(session.claims.tokenId, session.claims.expiresAt);
  await deleteSessionCookie();
  return session !== null;
}

export async function deleteSessionCookie(): Promise<void> {
  const config = sessionConfig();
  (await cookies()).set(config.cookieName, "", expiredSessionCookieAttributes(config));
}
