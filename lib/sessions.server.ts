import "server-only";
// Sessions: one row per sign-in. A token is only as good as its session row: ending the session (revokedAt)
// kills every token that carries its id, at once. Rows are purged when no token of theirs can verify any more.
import { sessionConfig } from "./config";
import { db } from "./db.server";
import { toRole, type Role } from "./roles";
import { randomId } from "./session/token";

export type SessionKind = "browser" | "api";

export interface SessionOwner {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
}

export interface LiveSession {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  user: SessionOwner;
}

export interface SessionListing {
  id: string;
  kind: SessionKind;
  createdAt: Date;
  lastSeenAt: Date;
  userAgent: string | null;
  ipPrefix: string | null;
}

export interface ClientInfo {
  userAgent: string | null;
  ipPrefix: string | null;
}

/** lastSeenAt is for people reading /account/sessions: a minute's precision spares a write per request. */
const LAST_SEEN_PRECISION_MS = 60_000;

export async function createSession(userId: string, kind: SessionKind, client: ClientInfo, now = new Date()) {
  const { absoluteTimeoutSeconds } = sessionConfig();
  return db.session.create({
    data: {
      id: randomId(),
      userId,
      kind,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + absoluteTimeoutSeconds * 1000),
      userAgent: client.userAgent,
      ipPrefix: client.ipPrefix,
    },
    select: { id: true, createdAt: true, expiresAt: true },
  });
}

/**
 * The session and its user, or null when the session is over (ended, timed out, or gone with its user).
 * One primary-key lookup joined to the user: what every authenticated request pays.
 */
export async function findLiveSession(sessionId: string, now = new Date()): Promise<LiveSession | null> {
  const row = await db.session.findUnique({
    where: { id: sessionId },
    select: {
      id: true,
      createdAt: true,
      lastSeenAt: true,
      expiresAt: true,
      revokedAt: true,
      user: { select: { id: true, email: true, role: true, createdAt: true } },
    },
  });
  if (!row || row.revokedAt !== null || row.expiresAt <= now) return null;
  const { revokedAt: _revokedAt, user, ...session } = row;
  return { ...session, user: { ...user, role: toRole(user.role) } };
}

/** Records activity, at most once a minute per session. */
export async function touchSession(session: LiveSession, now = new Date()): Promise<void> {
  if (now.getTime() - session.lastSeenAt.getTime() < LAST_SEEN_PRECISION_MS) return;
  await db.session.updateMany({ where: { id: session.id, revokedAt: null }, data: { lastSeenAt: now } });
}

export async function listActiveSessions(userId: string, now = new Date()): Promise<SessionListing[]> {
  const rows = await db.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, kind: true, createdAt: true, lastSeenAt: true, userAgent: true, ipPrefix: true },
  });
  return rows.map((row) => ({ ...row, kind: row.kind === "api" ? "api" : "browser" }));
}

/** Ends the sessions that match (and are not over yet); returns how many. Sweeps ended rows afterwards. */
export async function endSessionsWhere(
  where: { id?: string | { not: string }; userId?: string },
  now = new Date(),
): Promise<number> {
  const { count } = await db.session.updateMany({ where: { ...where, revokedAt: null }, data: { revokedAt: now } });
  await purgeEndedSessions(now);
  return count;
}

/** Ends one session of a user. False when it was not theirs or already over. */
export async function endSession(userId: string, sessionId: string, now = new Date()): Promise<boolean> {
  return (await endSessionsWhere({ id: sessionId, userId }, now)) === 1;
}

/** Ends every session of a user, or every one but `keep`. Returns how many ended. */
export function endSessionsOf(userId: string, options: { keep?: string } = {}, now = new Date()): Promise<number> {
  return endSessionsWhere({ userId, ...(options.keep ? { id: { not: options.keep } } : {}) }, now);
}

/**
 * Deletes the rows no token can still use: sessions past their absolute timeout, and ended ones whose last
 * token has expired by now (cookie tokens live at most the idle timeout; access tokens less). Sessions end
 * rarely next to requests, so each ending sweeps: an indexed range delete.
 */
export async function purgeEndedSessions(now = new Date()): Promise<number> {
  const { idleTimeoutSeconds, accessTokenTtlSeconds } = sessionConfig();
  const lastTokenExpiry = new Date(now.getTime() - Math.max(idleTimeoutSeconds, accessTokenTtlSeconds) * 1000);
  const { count } = await db.session.deleteMany({
    where: { OR: [{ expiresAt: { lt: now } }, { revokedAt: { lt: lastTokenExpiry } }] },
  });
  return count;
}
