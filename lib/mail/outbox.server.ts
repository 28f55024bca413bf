import "server-only";
// The outbox: mail is a row written in the same transaction as whatever it tells about (a reset token, an email
// change), so a mail exists exactly when its reason does. The sender (sender.server.ts) claims due rows with a
// lease, sends them, and marks them sent or retries them later. Why a lease and how the numbers were chosen:
// docs/decisions/0008-mail-outbox.md.
import { db } from "../db/db.server";
import type { Database } from "../db/client.server";
import { randomId } from "../ids";
import type { MailMessage } from "./templates";

/** How long a claim holds a row: far longer than one SMTP conversation may take (transport.server.ts). */
export const LEASE_MS = 5 * 60_000;
/** The first retry waits this long; each further one twice as long as the last, up to MAX_RETRY_DELAY_MS. */
export const FIRST_RETRY_DELAY_MS = 5_000;
export const MAX_RETRY_DELAY_MS = 60 * 60_000;
/** Sent rows are kept (without their bodies) this long, then purged. */
export const SENT_RETENTION_MS = 7 * 24 * 60 * 60_000;
/** Candidates looked at per claim, so that claimers racing for the same rows each find one of their own. */
const CANDIDATES = 10;
const CLAIM_ROUNDS = 5;
const ERROR_LENGTH = 500;

export interface ClaimedMail extends MailMessage {
  id: string;
  /** Proves the claim: only its holder can mark the row sent or failed. */
  claimId: string;
  attempts: number;
  createdAt: Date;
}

/**
 * Puts a mail in the outbox. Not async: the query runs inside a batch `db.$transaction([...])` or an interactive
 * transaction (`queries`), with the write the mail is about, or on its own through the app's client.
 */
export function enqueueMail(message: MailMessage, queries: Pick<Database, "outboxMail"> = db) {
  const { to, subject, text, html } = message;
  return queries.outboxMail.create({ data: { id: randomId(), to, subject, text, html }, select: { id: true } });
}

/** How many mails with this subject went (or wait to go) to `to` since `since`: for limits on what a mail may announce. */
export function countMailSince(to: string, subject: string, since: Date, queries: Pick<Database, "outboxMail"> = db) {
  return queries.outboxMail.count({ where: { to, subject, createdAt: { gte: since } } });
}

/** Unsent, due, and held by no live lease. */
function claimable(now: Date) {
  return {
    sentAt: null,
    nextAttemptAt: { lte: now },
    OR: [{ leaseUntil: null }, { leaseUntil: { lte: now } }],
  };
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/**
 * Claims one due mail for this caller, or returns null when none is free. Portable across SQLite and PostgreSQL:
 * candidates are read, then each is claimed by one conditional UPDATE that repeats every condition (unsent, due,
 * lease free or expired, still the claim that was read). The database evaluates that UPDATE atomically per row
 * (PostgreSQL re-checks the condition on the row it waited for), so of any number of claimers exactly one gets
 * count 1. The row gets a fresh claimId and a lease of LEASE_MS.
 */
export async function claimNextMail(now = new Date()): Promise<ClaimedMail | null> {
  for (let round = 0; round < CLAIM_ROUNDS; round++) {
    const candidates = await db.outboxMail.findMany({
      where: claimable(now),
      orderBy: { nextAttemptAt: "asc" },
      take: CANDIDATES,
      select: { id: true, claimId: true },
    });
    if (candidates.length === 0) return null;
    // In random order: claimers that read the same candidates then mostly try different rows.
    for (const candidate of shuffled(candidates)) {
      const claimId = randomId();
      const { count } = await db.outboxMail.updateMany({
        where: { id: candidate.id, claimId: candidate.claimId, ...claimable(now) },
        data: { claimId, leaseUntil: new Date(now.getTime() + LEASE_MS) },
      });
      if (count !== 1) continue;
      const row = await db.outboxMail.findUnique({
        where: { id: candidate.id },
        select: { id: true, claimId: true, to: true, subject: true, text: true, html: true, attempts: true, createdAt: true },
      });
      if (row?.claimId === claimId) return { ...row, claimId };
    }
    // Every candidate went to another claimer meanwhile: look again.
  }
  return null;
}

/**
 * Records that the claim's mail was accepted by the SMTP server. Only the claim's holder can: false when the
 * lease had expired and another claim took the row (then both may have sent it: see the ADR). The body, which
 * may hold a live link, is removed: the database keeps links in clear only until they are sent.
 */
export async function markSent(mail: Pick<ClaimedMail, "id" | "claimId">, now = new Date()): Promise<boolean> {
  const { count } = await db.outboxMail.updateMany({
    where: { id: mail.id, claimId: mail.claimId, sentAt: null },
    data: { sentAt: now, leaseUntil: null, lastError: null, text: "", html: "" },
  });
  return count === 1;
}

/** The wait before the next attempt, after `failures` failed ones: 5 s, 10 s, 20 s, … at most an hour. */
export function retryDelayMs(failures: number): number {
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, failures - 1), MAX_RETRY_DELAY_MS);
}

/** Gives the claim back untried, counting no attempt: the row is due again at once, for whichever claimer. */
export async function releaseClaim(mail: Pick<ClaimedMail, "id" | "claimId">): Promise<void> {
  await db.outboxMail.updateMany({ where: { id: mail.id, claimId: mail.claimId, sentAt: null }, data: { claimId: null, leaseUntil: null } });
}

/** Releases the claim after a failed attempt: the row is retried after retryDelayMs, by whichever claimer. */
export async function markFailed(mail: Pick<ClaimedMail, "id" | "claimId" | "attempts">, error: unknown, now = new Date()): Promise<boolean> {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const { count } = await db.outboxMail.updateMany({
    where: { id: mail.id, claimId: mail.claimId, sentAt: null },
    data: {
      attempts: { increment: 1 },
      nextAttemptAt: new Date(now.getTime() + retryDelayMs(mail.attempts + 1)),
      leaseUntil: null,
      claimId: null,
      lastError: message.slice(0, ERROR_LENGTH),
    },
  });
  return count === 1;
}

/** Deletes mail sent before `now - SENT_RETENTION_MS`; returns how many rows went. Unsent mail is never purged. */
export async function purgeSentMail(now = new Date()): Promise<number> {
  const { count } = await db.outboxMail.deleteMany({ where: { sentAt: { lt: new Date(now.getTime() - SENT_RETENTION_MS) } } });
  return count;
}

export interface OutboxListing {
  id: string;
  to: string;
  subject: string;
  createdAt: Date;
  sentAt: Date | null;
  attempts: number;
  lastError: string | null;
}

/** The newest mail first, for /dev/mail. */
export function listOutbox(limit = 100): Promise<OutboxListing[]> {
  return db.outboxMail.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: limit,
    select: { id: true, to: true, subject: true, createdAt: true, sentAt: true, attempts: true, lastError: true },
  });
}

export function findOutboxMail(id: string) {
  return db.outboxMail.findUnique({ where: { id } });
}

/** Unsent mail created at or after `since`, oldest first: what development prints on the console. */
export function unsentMailSince(since: Date, limit = 50) {
  return db.outboxMail.findMany({
    where: { sentAt: null, createdAt: { gte: since } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true, to: true, subject: true, text: true, createdAt: true },
  });
}
