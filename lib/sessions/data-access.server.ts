import "server-only";
// The data access layer for sessions: the one place every page, server action and route handler asks "who is
// signed in?". Middleware has already checked the cookie's signature, but it cannot see the database; this
// checks the token again, that its session is live (not ended, not timed out) and that the user still exists.
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { clientInfoFrom } from "../http/client-info";
import { logEvent } from "../log.server";
import { recoveryConfig, sessionConfig, stepUpConfig } from "../config";
import { DatabaseUnavailableError } from "../db/db.server";
import {
  adminFactorSetupPathFor,
  CONFIRM_EMAIL_PATH,
  confirmIdentityPathFor,
  HOME_PATH,
  REQUEST_PATH_HEADER,
  safeReturnPath,
  sessionEndedPathFor,
  signInPathFor,
} from "../routes";
import { expiredSessionCookieAttributes, sessionCookieAttributes } from "./cookie";
import { signSessionToken, type SessionClaims } from "../tokens/jwt";
import { verifiedTokenCacheFor, verifySessionTokenCached } from "../tokens/verified-token-cache";
import {
  endSessionsWhere,
  findLiveSession,
  openSession,
  recordAuthentication,
  touchSession,
  type SessionOwner,
} from "./store.server";
import { amrOf, isMultiFactor, methodAfterConfirmation, type Proof, type SignInMethod } from "../tokens/sign-in-methods";

export type CurrentUser = SessionOwner;

export interface CurrentSession {
  user: CurrentUser;
  /** The session's id: what "This device" is in /account/sessions. */
  sessionId: string;
  claims: SessionClaims;
  /** How it was signed in, as its row says (the token's amr says the same). */
  method: SignInMethod;
  /** When the person last proved who they are in it: the sign-in or a later confirmation. */
  authenticatedAt: Date;
}

/**
 * The claims of the request's session cookie when its signature and claims verify; null otherwise. Middleware has
 * just verified the same cookie, so the process remembers tokens that verified (never failures) and skips the
 * HMAC for a returning one; whether its session still lives is asked of the database all the same.
 */
async function verifiedCookieClaims(): Promise<SessionClaims | null> {
  const jar = await cookies();
  // No cookie at all, as in a page prerendered at build time (app/prerendered/), where no configuration is read.
  if (jar.size === 0) return null;
  const config = sessionConfig();
  const token = jar.get(config.cookieName)?.value;
  if (!token) return null;
  try {
    return await verifySessionTokenCached(token, config, verifiedTokenCacheFor(config));
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
  let session;
  try {
    session = await findLiveSession(claims.sessionId);
    if (session && session.user.id === claims.userId) await touchSession(session);
  } catch (error) {
    throw new DatabaseUnavailableError({ cause: error });
  }
  if (!session || session.user.id !== claims.userId) return forgetEndedSession();
  return {
    user: session.user,
    sessionId: session.id,
    claims,
    method: session.method,
    authenticatedAt: session.authenticatedAt,
  };
});

/**
 * The cookie verifies but its session has ended (signed out elsewhere, timed out, its user gone): middleware
 * cannot know, so the answer deletes it here. A server action or route handler deletes it at once; a page cannot
 * set cookies, so it goes by SESSION_ENDED_PATH, which deletes it, and comes straight back.
 */
async function forgetEndedSession(): Promise<null> {
  try {
    await deleteSessionCookie();
  } catch {
    redirect(sessionEndedPathFor(safeReturnPath((await headers()).get(REQUEST_PATH_HEADER), HOME_PATH)));
  }
  return null;
}

export async function getCurrentUser(): Promise<CurrentUser | null> {
  return (await getSession())?.user ?? null;
}

/**
 * The signed-in user, for a page or action that needs no more of the session; otherwise a redirect to sign-in
 * that comes back to `returnTo`. Options as for requireSession.
 */
export async function requireUser(returnTo: string, options: { unconfirmedEmail?: "allow" } = {}): Promise<CurrentUser> {
  return (await requireSession(returnTo, options)).user;
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

/**
 * An admin; anyone else gets a 404, as if the page did not exist. Signed out: off to sign in. With
 * REQUIRE_MFA_FOR_ADMINS on (the default), an admin whose session took one factor is sent to set up a second.
 */
export async function requireAdmin(
  returnTo: string,
  options: { recentAuthentication?: boolean } = {},
): Promise<CurrentSession> {
  const session = await requireSession(returnTo);
  if (session.user.role !== "admin") notFound();
  if (stepUpConfig().requireMfaForAdmins && !isMultiFactor(amrOf(session.method))) {
    redirect(adminFactorSetupPathFor(returnTo));
  }
  // An admin action, not only the page: it also needs an authentication within the step-up window.
  if (options.recentAuthentication && !isRecentlyAuthenticated(session)) redirect(confirmIdentityPathFor(returnTo));
  return session;
}

/** Did the person prove who they are recently enough for a sensitive change (STEP_UP_MAX_AGE_SECONDS)? */
export function isRecentlyAuthenticated(session: CurrentSession, now = new Date()): boolean {
  return now.getTime() - session.authenticatedAt.getTime() <= stepUpConfig().maxAgeSeconds * 1000;
}

/**
 * The session, if the person proved who they are within the step-up window; otherwise off to confirm it
 * (password, code or passkey) and straight back to `returnTo`. For changing the password or email, deleting
 * the account, adding or removing a factor and admin actions.
 */
export async function requireRecentAuthentication(returnTo: string): Promise<CurrentSession> {
  const session = await requireSession(returnTo);
  if (!isRecentlyAuthenticated(session)) redirect(confirmIdentityPathFor(returnTo));
  return session;
}

/**
 * The person just confirmed who they are in this session: its authentication time moves to now, its method is
 * raised by the proof (a code on a password session makes it two-factor), and the cookie is signed again to say so.
 * False when the session ended meanwhile: the caller's next requireSession sends the person to sign in.
 */
export async function recordConfirmation(session: CurrentSession, proof: Proof): Promise<boolean> {
  const method = methodAfterConfirmation(session.method, proof);
  // Ended in the meantime (signed out elsewhere): nothing to raise, and no cookie for it.
  if (!(await recordAuthentication(session.sessionId, method))) return false;
  const config = sessionConfig();
  const { token } = await signSessionToken(
    { userId: session.user.id, sessionId: session.sessionId, role: session.user.role, authTime: session.claims.authTime, amr: amrOf(method) },
    config,
  );
  (await cookies()).set(config.cookieName, token, sessionCookieAttributes(config));
  return true;
}

/**
 * Signs the user in: a new session and a new token, replacing whatever cookie the browser had (so a cookie
 * planted before sign-in is never promoted into a session). A password sign-in's user carries the hash it verified:
 * when the password has changed since, nothing opens and PasswordChangedError is thrown.
 */
export async function startSession(user: Pick<CurrentUser, "id" | "role"> & { passwordHash?: string }, method: SignInMethod = "password"): Promise<void> {
  const client = clientInfoFrom(await headers());
  const { session } = await openSession({ userId: user.id, kind: "browser", client, method, passwordHash: user.passwordHash });
  await setSessionCookie(user, session, method);
}

/** Puts a token for a session just created (sign-in, sign-up) in the response's cookie. */
export async function setSessionCookie(
  user: Pick<CurrentUser, "id" | "role">,
  session: { id: string; createdAt: Date },
  method: SignInMethod = "password",
): Promise<void> {
  const config = sessionConfig();
  const { token } = await signSessionToken(
    { userId: user.id, sessionId: session.id, role: user.role, authTime: session.createdAt, amr: amrOf(method) },
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
    const client = clientInfoFrom(await headers());
    await endSessionsWhere({ id: session.sessionId }, new Date(), { userId: session.user.id, kind: "signed-out", client });
    logEvent("sign-out", { userId: session.user.id, address: client.address });
  }
  await deleteSessionCookie();
  return session !== null;
}

export async function deleteSessionCookie(): Promise<void> {
  const config = sessionConfig();
  (await cookies()).set(config.cookieName, "", expiredSessionCookieAttributes(config));
}
