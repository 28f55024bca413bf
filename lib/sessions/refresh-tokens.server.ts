import "server-only";
// Refresh tokens for API sessions (OAuth 2.0 Security BCP): opaque random strings, stored only as their SHA-256,
// spent by one refresh each. A spent token presented again means two parties hold it: the session ends, unless
// it comes back within REFRESH_REUSE_GRACE_SECONDS of its rotation (a client's parallel refreshes), when it gets
// its one successor again. Design: docs/decisions/0013-refresh-reuse-grace.md.
import { createHmac } from "node:crypto";
import { accessTokenConfig, sessionConfig } from "../config";
import { db, isForeignKeyViolation } from "../db/db.server";
import { TesseraError } from "../errors";
import type { Database } from "../db/client.server";
import { derivedKey } from "../keys/sealing.server";
import { isPastAbsoluteTimeout } from "../tokens/jwt";
import { toRole } from "../tokens/roles";
import { toSignInMethod } from "../tokens/sign-in-methods";
import { endSessionsWhere, isIdle, type LiveSession } from "./store.server";
import { hashOpaqueToken as hashOf, isOpaqueToken, newOpaqueToken } from "../tokens/opaque-tokens.server";

export type RefreshTokenErrorCode = "invalid" | "reused";

/** The session a reused refresh token belonged to (and that was ended for it), for the security log. */
export interface ReusedSession {
  sessionId: string;
  userId: string;
}

export class RefreshTokenError extends TesseraError<RefreshTokenErrorCode> {
  override name = "RefreshTokenError";
  /** Set for "reused" only: an invalid token may name no session at all. */
  readonly session: ReusedSession | null;
  constructor(code: "invalid");
  constructor(code: "reused", session: ReusedSession);
  constructor(code: RefreshTokenErrorCode, session: ReusedSession | null = null) {
    super(code, code === "reused" ? "refresh token was already used; the session has ended" : "refresh token is not valid");
    this.session = session;
  }
}

/** What a refresh hands back: the session it continues (as just read and touched) and the next refresh token. */
export interface RotatedRefreshToken {
  session: LiveSession;
  refreshToken: string;
  /** True when a token already rotated came back within the grace period and got its successor again. */
  repeated: boolean;
}

/** The app's client or a transaction's: both can run these statements. */
type Queries = Pick<Database, "refreshToken" | "session">;

export async function issueRefreshToken(sessionId: string, expiresAt: Date, queries: Queries = db): Promise<string> {
  const token = newOpaqueToken();
  await queries.refreshToken.create({ data: { tokenHash: hashOf(token), sessionId, expiresAt } });
  return token;
}

const SUCCESSOR_KEY_INFO = "tessera refresh-token successor v1";

/**
 * The one token that may follow `token`: an HMAC of it under a key derived from the secret. Being a function of
 * its predecessor, the successor can be handed out again within the grace period without being stored anywhere
 * but as its hash, and a burst of refreshes with one token can never mint two live successors. Unguessable
 * without the secret, which can sign anything already.
 */
function successorOf(token: string, secret: Uint8Array): string {
  return createHmac("sha256", derivedKey(secret, SUCCESSOR_KEY_INFO)).update(token).digest("base64url");
}

/** The refresh token's session and its owner, as a refresh needs them to sign the next access token. */
const SESSION_OF_TOKEN = {
  id: true,
  createdAt: true,
  lastSeenAt: true,
  expiresAt: true,
  revokedAt: true,
  kind: true,
  method: true,
  authenticatedAt: true,
  user: { select: { id: true, email: true, role: true, createdAt: true, emailVerifiedAt: true, passwordBreachedAt: true } },
} as const;

type SessionRow = NonNullable<Awaited<ReturnType<typeof sessionRow>>>;
const sessionRow = (queries: Queries, id: string) => queries.session.findUnique({ where: { id }, select: SESSION_OF_TOKEN });

/** How a token that this call did not spend is judged. */
type Judgement =
  | { outcome: "repeated"; session: LiveSession; successor: string }
  | { outcome: "reused"; owner: ReusedSession }
  | { outcome: "invalid" };
type Refusal = Extract<Judgement, { outcome: "reused" | "invalid" }>;

/** The session as a refresh continues it, or null when it is over (ended, timed out, idle). */
function liveSession(session: SessionRow, now: Date): LiveSession | null {
  if (session.revokedAt !== null || session.expiresAt <= now || isIdle(session, now)) return null;
  // Begun under a longer absolute timeout than the one now configured: no access token could be signed for it,
  // so the refresh must be refused before it spends anything.
  if (isPastAbsoluteTimeout(session.createdAt, sessionConfig(), now)) return null;
  const { id, createdAt, lastSeenAt, expiresAt, authenticatedAt, user } = session;
  const method = toSignInMethod(session.method);
  return { id, createdAt, lastSeenAt, expiresAt, method, authenticatedAt, user: { ...user, role: toRole(user.role) } };
}

type Read = Judgement | { outcome: "unspent"; session: LiveSession };

/** What a refresh token is now: unknown or over, spent before (and judged as such), or unspent with its live session. */
async function readToken(queries: Queries, token: string, now: Date): Promise<Read> {
  const row = await queries.refreshToken.findUnique({
    where: { tokenHash: hashOf(token) },
    select: { expiresAt: true, spentAt: true, session: { select: SESSION_OF_TOKEN } },
  });
  if (!row) return { outcome: "invalid" };
  if (row.spentAt !== null) return spentBefore(queries, token, row.spentAt, row.session.id, now);
  const session = liveSession(row.session, now);
  if (row.expiresAt <= now || session === null) return { outcome: "invalid" };
  return { outcome: "unspent", session };
}

/** Marks the token spent unless it already is: of spends racing with one token exactly one gets true. */
async function markSpent(queries: Queries, token: string, now: Date): Promise<boolean> {
  const { count } = await queries.refreshToken.updateMany({ where: { tokenHash: hashOf(token), spentAt: null }, data: { spentAt: now } });
  return count === 1;
}

/** A token found unspent, then spent by another call before this one could: judged by when that one spent it. */
async function spentByAnother(queries: Queries, token: string, sessionId: string, now: Date): Promise<Judgement> {
  const winner = await queries.refreshToken.findUnique({ where: { tokenHash: hashOf(token) }, select: { spentAt: true } });
  if (winner?.spentAt == null) return { outcome: "invalid" };
  return spentBefore(queries, token, winner.spentAt, sessionId, now);
}

/**
 * A token presented after it was spent. Within the grace period, while its successor is still unspent and the
 * session live, the successor again (nothing is written); otherwise a reuse, which ends the session.
 */
async function spentBefore(queries: Queries, token: string, spentAt: Date, sessionId: string, now: Date): Promise<Judgement> {
  const session = await sessionRow(queries, sessionId);
  if (session === null) return { outcome: "invalid" };
  const reused: Judgement = { outcome: "reused", owner: { sessionId, userId: session.user.id } };
  // A racing refresh may have read the clock before the winner did: 0 must mean off, not "the same instant".
  const graceMs = accessTokenConfig().refreshReuseGraceSeconds * 1000;
  if (graceMs === 0 || now.getTime() - spentAt.getTime() > graceMs) return reused;
  // Secrets being rotated out too: another instance may have rotated the token just before a restart.
  const { signingSecret, previousSecrets } = sessionConfig();
  const candidates = [signingSecret, ...previousSecrets].map((secret) => successorOf(token, secret));
  const live = await queries.refreshToken.findFirst({
    where: { tokenHash: { in: candidates.map(hashOf) }, sessionId, spentAt: null, expiresAt: { gt: now } },
    select: { tokenHash: true },
  });
  const successor = candidates.find((candidate) => hashOf(candidate) === live?.tokenHash);
  if (successor === undefined) return reused;
  const continued = liveSession(session, now);
  return continued ? { outcome: "repeated", session: continued, successor } : { outcome: "invalid" };
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
  if (!isOpaqueToken(token)) throw new RefreshTokenError("invalid");
  const read = await readToken(db, token, now);
  if (read.outcome === "unspent" && (await markSpent(db, token, now))) return read.session.id;
  const judged = read.outcome === "unspent" ? await spentByAnother(db, token, read.session.id, now) : read;
  return judged.outcome === "repeated" ? judged.session.id : refuse(judged, now);
}

/**
 * A refresh: stores the token's successor, spends the token and records the session's activity in one
 * transaction, so a failure anywhere leaves the old token unspent for the client to retry (a retry of a spent
 * token would be taken for theft). A token rotated within the grace period gets the same successor back. Throws
 * RefreshTokenError as spendRefreshToken does.
 */
export async function rotateRefreshToken(token: unknown, now = new Date()): Promise<RotatedRefreshToken> {
  if (!isOpaqueToken(token)) throw new RefreshTokenError("invalid");
  const rotation = await db.$transaction(async (tx): Promise<Refusal | RotatedRefreshToken> => {
    const read = await readToken(tx, token, now);
    if (read.outcome !== "unspent") return continuedOrRefused(read);
    const { session } = read;
    const successor = successorOf(token, sessionConfig().signingSecret);
    // Storing the successor decides a race of refreshes, not the spend: on PostgreSQL a spend that lost keeps the
    // row locked until its transaction ends, so losers queued behind one another; an insert that lost waited for
    // the winner alone and holds nothing (decision 13).
    if (await storeSuccessor(tx, successor, session, now)) {
      if (await markSpent(tx, token, now)) {
        await tx.session.update({ where: { id: session.id }, data: { lastSeenAt: now } });
        return { session: { ...session, lastSeenAt: now }, refreshToken: successor, repeated: false };
      }
      // Spent in between by a call that stores another successor (a refresh under another secret, during a
      // rolling change): this one must not stay live beside it.
      await tx.refreshToken.delete({ where: { tokenHash: hashOf(successor) } });
    }
    return continuedOrRefused(await spentByAnother(tx, token, session.id, now));
  });
  return "outcome" in rotation ? refuse(rotation, now) : rotation;
}

/** Stores the successor's hash unless a racing refresh has (or is about to): true when this one did. */
async function storeSuccessor(tx: Pick<Database, "$executeRaw">, successor: string, session: LiveSession, now: Date): Promise<boolean> {
  const stored = await tx.$executeRaw`
    INSERT INTO "refresh_tokens" ("tokenHash", "sessionId", "createdAt", "expiresAt")
    VALUES (${hashOf(successor)}, ${session.id}, ${now}, ${session.expiresAt})
    ON CONFLICT DO NOTHING`.catch((error: unknown) => {
    // The session's row went after the token was read (its account deleted, on PostgreSQL, where the read locks
    // nothing): no session is left to refresh, which the client must hear as such, not as an outage to retry.
    throw isForeignKeyViolation(error) ? new RefreshTokenError("invalid") : error;
  });
  return stored === 1;
}

/** A judgement as a rotation answers it: the successor again, or the refusal. */
function continuedOrRefused(judged: Judgement): Refusal | RotatedRefreshToken {
  return judged.outcome === "repeated" ? { session: judged.session, refreshToken: judged.successor, repeated: true } : judged;
}

/** The session this refresh token belongs to, whether or not it was spent; null for an unknown token. */
export async function sessionOfRefreshToken(token: unknown): Promise<string | null> {
  if (!isOpaqueToken(token)) return null;
  const row = await db.refreshToken.findUnique({ where: { tokenHash: hashOf(token) }, select: { sessionId: true } });
  return row?.sessionId ?? null;
}
