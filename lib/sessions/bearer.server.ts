import "server-only";
// Sessions for non-browser clients: the same sessions as the browser's, carried as a short-lived Bearer access
// token plus an opaque refresh token. Route handlers in app/api/ call these.
import { db } from "../db/db.server";
import { ApiError } from "../http/json-api.server";
import { accessTokenConfig, recoveryConfig } from "../config";
import { issueRefreshToken, RefreshTokenError, rotateRefreshToken, sessionOfRefreshToken } from "./refresh-tokens.server";
import { accessTokenSigner, sessionOfAccessToken, verifyAccessToken, type AccessTokenSigner } from "../tokens/access-tokens.server";
import { endSessionsWhere, openSession, findLiveSession, touchSession, type ClientInfo, type SessionOwner } from "./store.server";
import { amrOf, type SignInMethod } from "../tokens/sign-in-methods";
import { logEvent } from "../log.server";
import { requestClient } from "../activity/client.server";
import { wakeMailSender } from "../mail/sender.server";

export interface TokenPair {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
}

/**
 * The audience a client asks for with RFC 8707's `resource` (one of ACCESS_TOKEN_AUDIENCES), or the app's own when
 * it names none. Anything else is refused (400 invalid_target) rather than quietly issued for another audience.
 */
export function audienceFor(resource: unknown): string {
  const { appAudience, audiences } = accessTokenConfig();
  if (resource === undefined) return appAudience;
  if (typeof resource === "string" && audiences.includes(resource)) return resource;
  throw new ApiError(400, "invalid_target", "\"resource\" must name a resource server this app issues tokens for.");
}

/** An access token for the session and audience, beside its refresh token (already stored). */
async function pairFor(
  sign: AccessTokenSigner,
  session: { id: string; createdAt: Date; method: SignInMethod },
  user: Pick<SessionOwner, "id" | "role">,
  refreshToken: string,
  audience?: string,
): Promise<TokenPair> {
  const { token, claims } = await sign(
    { userId: user.id, sessionId: session.id, role: user.role, authTime: session.createdAt, amr: amrOf(session.method) },
    audience,
  );
  return {
    access_token: token,
    token_type: "Bearer",
    // The token's lifetime as signed (exp - iat), not a countdown that rounds differently from call to call.
    expires_in: (claims.expiresAt.getTime() - claims.issuedAt.getTime()) / 1000,
    refresh_token: refreshToken,
  };
}

/**
 * A new API session for a user whose credentials were checked, with its first token pair. The session and its
 * refresh token are written in one transaction: never a session whose refresh token was lost on the way. The
 * signing key is read first, so that a keyring that cannot be read opens nothing; the token is signed after the
 * commit, because Web Crypto signs on the thread pool the password hashes queue on, and a transaction must not
 * wait on them while it holds SQLite's one writer.
 */
export async function openApiSession(
  user: Pick<SessionOwner, "id" | "role"> & { passwordHash?: string },
  client: ClientInfo,
  audience?: string,
  method: SignInMethod = "password",
): Promise<TokenPair & { sessionId: string }> {
  const sign = await accessTokenSigner();
  const { session, refreshToken, mailed } = await db.$transaction(async (tx) => {
    const { session, mailed } = await openSession({ userId: user.id, kind: "api", client, queries: tx, method, passwordHash: user.passwordHash });
    return { session, mailed, refreshToken: await issueRefreshToken(session.id, session.expiresAt, tx) };
  });
  if (mailed) wakeMailSender();
  return { ...(await pairFor(sign, { ...session, method }, user, refreshToken, audience)), sessionId: session.id };
}

/**
 * POST /api/auth/refresh: spends the refresh token for a new pair in the same session. The session's liveness is
 * decided by the spend itself. Within the reuse grace period, the refreshes that lose a race get the winner's
 * refresh token (and access tokens of their own); after it, a loser is a reuse and ends the session. Whatever can
 * keep the access token from being signed is settled before the spend: the key is read first, and a session past
 * the absolute timeout is refused by the spend. So a client's retry after a failure is not taken for theft.
 */
export async function refreshTokens(refreshToken: string, audience?: string): Promise<TokenPair> {
  const now = new Date();
  const sign = await accessTokenSigner(now);
  const { session, refreshToken: next, repeated } = await rotateRefreshToken(refreshToken, now).catch(refusedGrant);
  logEvent("token.refreshed", { sessionId: session.id, userId: session.user.id, ...(repeated ? { withinReuseGrace: true } : {}) });
  return pairFor(sign, session, session.user, next, audience);
}

/** A refused refresh token as the API answers it (401 invalid_grant); a reuse is logged by session and user. */
function refusedGrant(error: unknown): never {
  if (!(error instanceof RefreshTokenError)) throw error;
  // Ids only: the token itself never goes to the log.
  if (error.session) logEvent("token.reused", { sessionId: error.session.sessionId, userId: error.session.userId });
  throw new ApiError(401, "invalid_grant", error.message);
}

/** POST /api/auth/revoke (RFC 7009): ends the session of a refresh or access token; quiet about dead ones. */
export async function revokeToken(token: string): Promise<void> {
  // Whichever resource server an access token was for, and expired or not: revoking it ends its session everywhere.
  const sessionId = (await sessionOfRefreshToken(token)) ?? (await sessionOfAccessToken(token, accessTokenConfig().audiences));
  if (sessionId === null) return;
  // Recorded on the owner's activity as a sign-out, from the client that revoked it.
  const owner = await db.session.findUnique({ where: { id: sessionId }, select: { userId: true } });
  const event = owner ? { userId: owner.userId, kind: "signed-out" as const, client: await requestClient() } : undefined;
  await endSessionsWhere({ id: sessionId }, new Date(), event);
}

/**
 * The token of `Bearer <token>`, or null. The scheme is matched in any case (RFC 7235, RFC 6750): `bearer` and
 * `BEARER` are the same scheme. One space, one token of the characters our tokens use: anything else is refused.
 */
function bearerTokenOf(authorization: string | null): string | null {
  const match = authorization?.match(/^Bearer ([A-Za-z0-9_.-]+)$/i);
  return match?.[1] ?? null;
}

function invalidToken(description: string): ApiError {
  return new ApiError(401, "invalid_token", description, {
    "WWW-Authenticate": `Bearer error="invalid_token", error_description="${description}"`,
  });
}

/**
 * The user behind `Authorization: Bearer <access token>`, checked like a cookie in the data access layer: the
 * signature and claims, then that the session is live and the user exists. Cookies play no part.
 */
export async function authenticateBearer(authorization: string | null): Promise<SessionOwner> {
  const token = bearerTokenOf(authorization);
  if (token === null) throw invalidToken("Send an access token as Authorization: Bearer <token>.");
  const claims = await verifyAccessToken(token).catch(() => null);
  if (!claims) throw invalidToken("The access token is malformed, expired or not ours.");
  const session = await findLiveSession(claims.sessionId);
  if (!session || session.user.id !== claims.userId) throw invalidToken("The session has ended.");
  await touchSession(session);
  // As for pages (the data access layer): with REQUIRE_EMAIL_VERIFICATION, nothing until the email is confirmed.
  if (session.user.emailVerifiedAt === null && recoveryConfig().requireEmailVerification) {
    throw new ApiError(403, "email_unconfirmed", "Confirm your email first: open the link we mailed you.");
  }
  return session.user;
}
