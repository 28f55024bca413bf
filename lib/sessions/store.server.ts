import "server-only";
// Sessions: one row per sign-in. A token is only as good as its session row: ending the session (revokedAt)
// kills every token that carries its id, at once. Rows are purged when no token of theirs can verify any more.
import { sessionConfig } from "../config";
import { db, directReader, holdUserRow } from "../db/db.server";
import { toDate } from "../db/raw-values";
import type { Database } from "../db/client.server";
import { toRole, type Role } from "../tokens/roles";
import { randomId } from "../ids";
import { toSignInMethod, type SignInMethod } from "../tokens/sign-in-methods";
import type { EventKind } from "../activity/kinds";
import { eventData, NO_CLIENT, recordEvent, type EventClient } from "../activity/record.server";
import { purgeOldEvents } from "../activity/retention.server";
import { mailIfNewSignIn } from "../activity/new-sign-in.server";
import { wakeMailSender } from "../mail/sender.server";
import { TesseraError } from "../errors";

export type SessionKind = "browser" | "api";

export interface SessionOwner {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
  /** When the person last proved they read mail at `email`; null until they do. */
  emailVerifiedAt: Date | null;
  /** When a sign-in found their password among breached ones; null unless it did, and since changed it. */
  passwordBreachedAt: Date | null;
}

export interface LiveSession {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  method: SignInMethod;
  /** When the person last proved who they are here: the sign-in, or a later confirmation (step-up). */
  authenticatedAt: Date;
  user: SessionOwner;
}

export interface SessionListing {
  id: string;
  kind: SessionKind;
  createdAt: Date;
  lastSeenAt: Date;
  userAgent: string | null;
  ipPrefix: string | null;
  method: SignInMethod;
}

export interface ClientInfo {
  userAgent: string | null;
  ipPrefix: string | null;
}

/**
 * lastSeenAt is for people reading /account/sessions and is an API session's idle clock: a minute's precision
 * spares a write per request; a short idle timeout (tests use seconds) gets the cookie's renewal precision.
 */
function lastSeenPrecisionMs(): number {
  return Math.min(60_000, sessionConfig().renewAfterSeconds * 1000);
}

/**
 * When an API session unused since before this instant is over. "Used" is a refresh, or its access token shown
 * to the app (a Bearer request, an introspection). A browser session's idle clock is its cookie token instead:
 * it lives for the idle timeout and middleware renews it on use, which the database does not see.
 */
function idleCutoff(now: Date): Date {
  return new Date(now.getTime() - sessionConfig().idleTimeoutSeconds * 1000);
}

/** Whether a session has sat unused past the idle timeout (API sessions; see idleCutoff). */
export function isIdle(session: { kind: string; lastSeenAt: Date }, now = new Date()): boolean {
  return session.kind === "api" && session.lastSeenAt <= idleCutoff(now);
}

/** The sessions that are live at `now`: not ended, not past the absolute timeout, not idle. For queries. */
export function liveSessionsWhere(now = new Date()) {
  return { revokedAt: null, expiresAt: { gt: now }, NOT: { kind: "api", lastSeenAt: { lte: idleCutoff(now) } } };
}

export interface NewSession {
  userId: string;
  kind: SessionKind;
  client: ClientInfo;
  /** How the person signed in. */
  method?: SignInMethod;
  now?: Date;
  /** A transaction's client, so that the session is written with the transaction's other writes. */
  queries?: Pick<Database, "session">;
  /** A password sign-in's: the hash it verified, so that the session opens only while it is still the password. */
  passwordHash?: string;
}

/**
 * Inserts a session and its "signed-in" event, in one statement (a nested write Prisma runs as one transaction).
 * Not async: the query can also go into a batch transaction with other writes (sign-up).
 */
export function createSession({ userId, kind, client, method = "password", now = new Date(), queries = db }: NewSession) {
  const { absoluteTimeoutSeconds } = sessionConfig();
  return queries.session.create({
    data: {
      id: randomId(),
      userId,
      kind,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + absoluteTimeoutSeconds * 1000),
      userAgent: client.userAgent,
      ipPrefix: client.ipPrefix,
      method,
      authenticatedAt: now,
      events: { create: eventData({ userId, kind: "signed-in", client, details: { method }, now }) },
    },
    select: { id: true, createdAt: true, expiresAt: true },
  });
}

/** The password was changed or reset while a sign-in with the old one was on its way: it opens nothing. */
export class PasswordChangedError extends TesseraError<"password-changed"> {
  static readonly code = "password-changed";
  override name = "PasswordChangedError";
  constructor() {
    super(PasswordChangedError.code, "the password changed during the sign-in");
  }
}

/**
 * In the transaction that opens a way in for a password sign-in: holds the user's row while its password is still
 * `passwordHash`, the one the sign-in verified, or throws PasswordChangedError. A change or reset that committed
 * first wins; one that comes later waits for this transaction, then ends what it opened. (Reading the hash would
 * not do on PostgreSQL: a change could commit between that read and the insert, its revocation blind to the row.)
 */
export async function holdPassword(queries: Pick<Database, "$executeRaw">, userId: string, passwordHash: string): Promise<void> {
  if (!(await holdUserRow(queries, userId, passwordHash))) throw new PasswordChangedError();
}

/** What a sign-in writes: the session, its event, perhaps the new-sign-in mail and its link's token. */
export type SignInQueries = Pick<Database, "session" | "event" | "user" | "outboxMail" | "oneTimeToken" | "$executeRaw">;

/**
 * A sign-in: the session with its event, and the owner's new-sign-in mail when the device and place are new to
 * the account (lib/activity/new-sign-in.server.ts), in one transaction: the caller's (`queries`), or its own.
 */
export async function openSession(fields: Omit<NewSession, "queries"> & { queries?: SignInQueries }): Promise<{ session: { id: string; createdAt: Date; expiresAt: Date }; mailed: boolean }> {
  const now = fields.now ?? new Date();
  const write = async (tx: SignInQueries) => {
    // The user's row, held first and to the commit: a password changed meanwhile stops the sign-in here, and
    // sign-ins of one account decide one at a time whether their device is new (mailIfNewSignIn).
    if (fields.passwordHash !== undefined) await holdPassword(tx, fields.userId, fields.passwordHash);
    else await holdUserRow(tx, fields.userId);
    const session = await createSession({ ...fields, now, queries: tx });
    const mailed = await mailIfNewSignIn(tx, { userId: fields.userId, sessionId: session.id, client: fields.client, now });
    return { session, mailed };
  };
  // Inside the caller's transaction the mail waits for its commit: the sender's next poll finds it.
  if (fields.queries) return write(fields.queries);
  const opened = await db.$transaction(write);
  if (opened.mailed) wakeMailSender();
  return opened;
}

/** One row of findLiveSession's statement: the session's columns and its user's, side by side. */
interface LiveSessionRow {
  id: string;
  createdAt: unknown;
  lastSeenAt: unknown;
  expiresAt: unknown;
  revokedAt: unknown;
  kind: string;
  method: string;
  authenticatedAt: unknown;
  userId: string;
  userEmail: string;
  userRole: string;
  userCreatedAt: unknown;
  userEmailVerifiedAt: unknown;
  userPasswordBreachedAt: unknown;
}

/** The session and its user in one statement, with a database's placeholder (`?` on SQLite, `$1` on PostgreSQL). */
const liveSessionSql = (placeholder: string) => `
    SELECT s."id", s."createdAt", s."lastSeenAt", s."expiresAt", s."revokedAt", s."kind", s."method", s."authenticatedAt",
           u."id" AS "userId", u."email" AS "userEmail", u."role" AS "userRole", u."createdAt" AS "userCreatedAt",
           u."emailVerifiedAt" AS "userEmailVerifiedAt", u."passwordBreachedAt" AS "userPasswordBreachedAt"
    FROM "sessions" s INNER JOIN "users" u ON u."id" = s."userId"
    WHERE s."id" = ${placeholder}`;
const LIVE_SESSION_SQL = { sqlite: liveSessionSql("?"), postgresql: liveSessionSql("$1") };

/**
 * The session and its user, or null when the session is over (ended, timed out, or gone with its user).
 * One statement, a primary-key lookup of the session joined to its user by the user's primary key: what every
 * authenticated request pays (its plans on both databases: docs/decisions/0005-postgresql.md). Prisma would
 * issue two statements for the relation (it joins in SQL only on PostgreSQL, behind a preview flag), so this
 * is written as SQL both databases accept: quoted identifiers, one bound parameter. On SQLite it skips Prisma
 * (lib/db/direct-reads.server.ts). Liveness is decided here, not in SQL, so that no date is ever compared as text
 * in SQLite.
 */
export async function findLiveSession(sessionId: string, now = new Date()): Promise<LiveSession | null> {
  const rows =
    directReader?.select<LiveSessionRow>(LIVE_SESSION_SQL.sqlite, [sessionId]) ??
    (await db.$queryRawUnsafe<LiveSessionRow[]>(LIVE_SESSION_SQL.postgresql, sessionId));
  const row = rows[0];
  if (!row || row.revokedAt !== null) return null;
  const expiresAt = toDate(row.expiresAt);
  const lastSeenAt = toDate(row.lastSeenAt);
  if (expiresAt <= now || isIdle({ kind: row.kind, lastSeenAt }, now)) return null;
  return {
    id: row.id,
    createdAt: toDate(row.createdAt),
    lastSeenAt,
    expiresAt,
    method: toSignInMethod(row.method),
    authenticatedAt: toDate(row.authenticatedAt),
    user: {
      id: row.userId,
      email: row.userEmail,
      role: toRole(row.userRole),
      createdAt: toDate(row.userCreatedAt),
      emailVerifiedAt: row.userEmailVerifiedAt === null ? null : toDate(row.userEmailVerifiedAt),
      passwordBreachedAt: row.userPasswordBreachedAt === null ? null : toDate(row.userPasswordBreachedAt),
    },
  };
}

/**
 * The person proved who they are again in a live session (step-up), perhaps with a stronger method (a code after
 * a password): the session's authentication time moves, and its method with it. False when the session is over.
 */
export async function recordAuthentication(sessionId: string, method: SignInMethod, now = new Date()): Promise<boolean> {
  const { count } = await db.session.updateMany({
    where: { id: sessionId, revokedAt: null, expiresAt: { gt: now } },
    data: { authenticatedAt: now, method },
  });
  return count === 1;
}

/** Records activity, at most once a minute per session. */
export async function touchSession(session: LiveSession, now = new Date()): Promise<void> {
  if (now.getTime() - session.lastSeenAt.getTime() < lastSeenPrecisionMs()) return;
  await db.session.updateMany({ where: { id: session.id, revokedAt: null }, data: { lastSeenAt: now } });
}

export async function listActiveSessions(userId: string, now = new Date()): Promise<SessionListing[]> {
  const rows = await db.session.findMany({
    where: { userId, ...liveSessionsWhere(now) },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, kind: true, createdAt: true, lastSeenAt: true, userAgent: true, ipPrefix: true, method: true },
  });
  return rows.map((row) => ({ ...row, kind: row.kind === "api" ? "api" : "browser", method: toSignInMethod(row.method) }));
}

export type SessionFilter = { id?: string | { not: string }; userId?: string };

/** Marks the matching live sessions ended. Not async, so that it can join a transaction (password change). */
export function revokeSessions(where: SessionFilter, now = new Date(), queries: Pick<Database, "session"> = db) {
  return queries.session.updateMany({ where: { ...where, revokedAt: null }, data: { revokedAt: now } });
}

/** What ending sessions records on the account's activity, and from which client. */
export interface EndingEvent {
  userId: string;
  kind: Extract<EventKind, "signed-out" | "signed-out-elsewhere" | "sessions-ended-by-admin">;
  client: EventClient;
}

/**
 * Ends the sessions that match (and are not over yet); returns how many. With `event`, it is recorded in the same
 * transaction when any session ended. Sweeps ended rows and old events afterwards.
 */
export async function endSessionsWhere(where: SessionFilter, now = new Date(), event?: EndingEvent): Promise<number> {
  const count = await db.$transaction(async (tx) => {
    // The event's insert takes a share of the account's row: held first, as every account's transaction does, so
    // that an email change (which locks that row, then ends sessions) and this never wait for each other.
    if (event) await holdUserRow(tx, event.userId);
    const ended = await revokeSessions(where, now, tx);
    if (event && ended.count > 0) await recordEvent({ ...event, now }, tx);
    return ended.count;
  });
  await purgeEndedSessions(now);
  await purgeOldEvents(now);
  return count;
}

/** Ends one session of a user, recorded as signed out from `client`. False when it was not theirs or already over. */
export async function endSession(userId: string, sessionId: string, now = new Date(), client: EventClient = NO_CLIENT): Promise<boolean> {
  return (await endSessionsWhere({ id: sessionId, userId }, now, { userId, kind: "signed-out", client })) === 1;
}

/**
 * Ends every session of a user (an admin's doing), or every one but `keep` (the person's "Sign out everywhere
 * else"), recorded as such. Returns how many ended.
 */
export function endSessionsOf(userId: string, options: { keep?: string; client?: EventClient } = {}, now = new Date()): Promise<number> {
  const kind = options.keep ? "signed-out-elsewhere" : "sessions-ended-by-admin";
  const where = { userId, ...(options.keep ? { id: { not: options.keep } } : {}) };
  return endSessionsWhere(where, now, { userId, kind, client: options.client ?? NO_CLIENT });
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
