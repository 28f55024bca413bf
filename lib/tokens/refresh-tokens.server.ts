import "server-only";
// Refresh tokens for API sessions (OAuth 2.0 Security BCP): opaque random strings, stored only as their SHA-256,
// spent by one refresh each. A spent token presented again means two parties hold it: the session ends.
import { db } from "../db/db.server";
import type { Database } from "../db/client";
import { toRole } from "../users/roles";
import { toSignInMethod } from "../sessions/sign-in-methods";
import { endSessionsWhere, type LiveSession } from "../sessions/store.server";
import { hashOpaqueToken as hashOf, isOpaqueToken, newOpaqueToken } from "./opaque-tokens.server";

export type RefreshTokenErrorCode = "invalid" | "reused";

/** The session a reused refresh token belonged to (and that was ended for it), for the security log. */
export interface ReusedSession {
  sessionId: string;
  userId: string;
}

export class RefreshTokenError extends Error {
  override name = "RefreshTokenError";
  /** Set for "reused" only: an invalid token may name no session at all. */
  readonly session: ReusedSession | null;
  constructor(code: "invalid");
  constructor(code: "reused", session: ReusedSession);
  constructor(
    readonly code: RefreshTokenErrorCode,
    session: ReusedSession | null = null,
  ) {
    super(code === "reused" ? "refresh token was already used; the session has ended" : "refresh token is not valid");
    this.session = session;
  }
}

/** What a refresh hands back: the session it continues (as just read and touched) and the next refresh token. */
export interface RotatedRefreshToken {
  session: LiveSession;
  refreshToken: string;
}

/** The app's client or a transaction's: both can run these statements. */
type Queries = Pick<Database, "refreshToken" | "session">;

export async function issueRefreshToken(sessionId: string, expiresAt: Date, queries: Queries = db): Promise<string> {
  const token = newOpaqueToken();
  await queries.refreshToken.create({ data: { tokenHash: hashOf(token), sessionId, expiresAt } });
  return token;
}

/** The refresh token's session and its owner, as a refresh needs them to sign the next access token. */
const SESSION_OF_TOKEN = {
  id: true,
  createdAt: true,
  lastSeenAt: true,
  expiresAt: true,
  revokedAt: true,
  method: true,
  authenticatedAt: true,
  user: { select: { id: true, email: true, role: true, createdAt: true, emailVerifiedAt: true } },
} as const;

type Spend =
  | { outcome: "spent"; session: LiveSession }
  | { outcome: "reused"; owner: ReusedSession }
  | { outcome: "invalid" };
type Refusal = Exclude<Spend, { outcome: "spent" }>;

/**
 * Marks a refresh token spent if it is alive, and says what happened. Decides without throwing, so that inside a
 * transaction an ordinary refusal commits (nothing was written) rather than rolls back.
 */
async function spendIn(queries: Queries, token: unknown, now: Date): Promise<Spend> {
  if (!isOpaqueToken(token)) return { outcome: "invalid" };
  const tokenHash = hashOf(token);
  const row = await queries.refreshToken.findUnique({
    where: { tokenHash },
    select: { expiresAt: true, spentAt: true, session: { select: SESSION_OF_TOKEN } },
  });
  if (!row) return { outcome: "invalid" };
  const { session } = row;
  const owner = { sessionId: session.id, userId: session.user.id };
  if (row.spentAt !== null) return { outcome: "reused", owner };
  if (row.expiresAt <= now || session.revokedAt !== null || session.expiresAt <= now) return { outcome: "invalid" };
  // Spent only if nobody spent it in between: of two refreshes racing with one token, exactly one wins, and
  // the other is treated as the reuse it is indistinguishable from.
  const { count } = await queries.refreshToken.updateMany({ where: { tokenHash, spentAt: null }, data: { spentAt: now } });
  if (count !== 1) return { outcome: "reused", owner };
  const { id, createdAt, lastSeenAt, expiresAt, authenticatedAt, user } = session;
  const method = toSignInMethod(session.method);
  return {
    outcome: "spent",
    session: { id, createdAt, lastSeenAt, expiresAt, method, authenticatedAt, user: { ...user, role: toRole(user.role) } },
  };
}

/** Throws the refusal's RefreshTokenError, ending the session first when the token was reused. */
async function refuse(refusal: Refusal, now: Date): Promise<never> {
  if (refusal.outcome === "invalid") throw new RefreshTokenError("invalid");
  await endSessionsWhere({ id: refusal.owner.sessionId }, now);
  throw new RefreshTokenError("reused", refusal.owner);
}

/**
 * Spends a refresh token and returns its session's id. Throws RefreshTokenError: "invalid" for a token that is
 * unknown, expired or whose session is over; "reused" for one already spent, after ending its session.
 */
export async function spendRefreshToken(token: unknown, now = new Date()): Promise<string> {
  const spend = await spendIn(db, token, now);
  if (spend.outcome !== "spent") return refuse(spend, now);
  return spend.session.id;
}

/**
 * A refresh: spends the token, stores its successor and records the session's activity in one transaction, so a
 * failure anywhere leaves the old token unspent for the client to retry (a retry of a spent token would be
 * taken for theft). Throws RefreshTokenError as spendRefreshToken does.
 */
export async function rotateRefreshToken(token: unknown, now = new Date()): Promise<RotatedRefreshToken> {
  const rotation = await db.$transaction(async (tx): Promise<Refusal | RotatedRefreshToken> => {
    const spend = await spendIn(tx, token, now);
    if (spend.outcome !== "spent") return spend;
    const { session } = spend;
    const refreshToken = await issueRefreshToken(session.id, session.expiresAt, tx);
    await tx.session.update({ where: { id: session.id }, data: { lastSeenAt: now } });
    return { session: { ...session, lastSeenAt: now }, refreshToken };
  });
  return "outcome" in rotation ? refuse(rotation, now) : rotation;
}

/** The session this refresh token belongs to, whether or not it was spent; null for an unknown token. */
export async function sessionOfRefreshToken(token: unknown): Promise<string | null> {
  if (!isOpaqueToken(token)) return null;
  const row = await db.refreshToken.findUnique({ where: { tokenHash: hashOf(token) }, select: { sessionId: true } });
  return row?.sessionId ?? null;
}
