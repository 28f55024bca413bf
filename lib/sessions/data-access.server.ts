import "server-only";
// The data access layer for sessions: the one place every page, server action and route handler asks "who is
// signed in?". Middleware has already checked the cookie's signature, but it cannot see the database; this
// checks the token again, that its session is live (not ended, not timed out) and that the user still exists.
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { clientAddress, clientInfoFrom } from "../http/client-info";
import { logEvent } from "../log.server";
import { recoveryConfig, sessionConfig } from "../config";
import { DatabaseUnavailableError } from "../db/db.server";
import { CONFIRM_EMAIL_PATH, signInPathFor } from "../routes";
import { expiredSessionCookieAttributes, sessionCookieAttributes } from "./cookie";
import { signSessionToken, verifySessionToken, type SessionClaims } from "../tokens/jwt";
import { createSession, endSessionsWhere, findLiveSession, touchSession, type SessionOwner } from "./store.server";

export type CurrentUser = SessionOwner;

export interface CurrentSession {
  user: CurrentUser;
  /** The session's id: what "This device" is in /account/sessions. */
  sessionId: string;
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
 * DatabaseUnavailableError when the session cannot be read: never guess "signed in" or "signed out".
 */
export const getSession = cache(async (): Promise<CurrentSession | null> => {
  const claims = await verifiedCookieClaims();
  if (!claims) return null;
  try {
    const session = await findLiveSession(claims.sessionId);
    if (!session || session.user.id !== claims.userId) return null;
    await touchSession(session);
    return { user: session.user, sessionId: session.id, claims };
  } catch (error) {
    throw new DatabaseUnavailableError({ cause: error });
  }
});

export async function getCurrentUser(): Promise<CurrentUser | null> {
  return (await getSession())?.user ?? null;
}

/** The signed-in user; otherwise a redirect to sign-in that comes back to `returnTo`. */
export async function requireUser(returnTo: string): Promise<CurrentUser> {
  return (await requireSession(returnTo)).user;
}

/**
 * The signed-in session; otherwise a redirect to sign-in that comes back to `returnTo`. With
 * REQUIRE_EMAIL_VERIFICATION on, a person whose email is unconfirmed is sent to the page that asks them to
 * confirm it, except from the pages that serve that (`unconfirmedEmail: "allow"`).
 */
export async function requireSession(returnTo: string, options: { unconfirmedEmail?: "allow" } = {}): Promise<CurrentSession> {
  const session = await getSession();
  if (!session) redirect(signInPathFor(returnTo));
  if (options.unconfirmedEmail !== "allow" && session.user.emailVerifiedAt === null && recoveryConfig().requireEmailVerification) {
    redirect(CONFIRM_EMAIL_PATH);
  }
  return session;
}

/** An admin; anyone else gets a 404, as if the page did not exist. Signed out: off to sign in. */
export async function requireAdmin(returnTo: string): Promise<CurrentUser> {
  const user = await requireUser(returnTo);
  if (user.role !== "admin") notFound();
  return user;
}

/**
 * Signs the user in: a new session and a new token, replacing whatever cookie the browser had (so a cookie
 * planted before sign-in is never promoted into a session).
 */
export async function startSession(user: Pick<CurrentUser, "id" | "role">): Promise<void> {
  await setSessionCookie(user, await createSession(user.id, "browser", clientInfoFrom(await headers())));
}

/** Puts a token for a session just created (sign-in, sign-up) in the response's cookie. */
export async function setSessionCookie(
  user: Pick<CurrentUser, "id" | "role">,
  session: { id: string; createdAt: Date },
): Promise<void> {
  const config = sessionConfig();
  const { token } = await signSessionToken(
    { userId: user.id, sessionId: session.id, role: user.role, authTime: session.createdAt },
    config,
  );
  (await cookies()).set(config.cookieName, token, sessionCookieAttributes(config));
}

/**
 * Signs out: the session ends (every token of it is refused from now on) and the cookie is deleted. Returns
 * false when there was no live session to end (no cookie, a bad one, or one already signed out).
 */
export async function endCurrentSession(): Promise<boolean> {
  const session = await getSession();
  if (session) {
    await endSessionsWhere({ id: session.sessionId });
    logEvent("sign-out", { userId: session.user.id, address: clientAddress(await headers()) });
  }
  await deleteSessionCookie();
  return session !== null;
}

export async function deleteSessionCookie(): Promise<void> {
  const config = sessionConfig();
  (await cookies()).set(config.cookieName, "", expiredSessionCookieAttributes(config));
}
