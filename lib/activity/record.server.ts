import "server-only";
// Writes an event beside the change it records: recordEvent and eventData return the statement (or the data for
// a nested write) unrun, and the caller puts it into the transaction that makes the change, so that neither exists
// without the other. A refused sign-in changes nothing: its row is written on its own, aggregated.
import { abuseLimits } from "../config";
import type { Database } from "../db/client.server";
import { db } from "../db/db.server";
import { randomId } from "../ids";
import type { AggregatedKind, EventDetails, EventKind } from "./kinds";

/** The client as a session row records it: what /account/sessions shows as device and address. */
export interface EventClient {
  userAgent: string | null;
  ipPrefix: string | null;
}

export const NO_CLIENT: EventClient = { userAgent: null, ipPrefix: null };

export interface NewEvent {
  userId: string;
  kind: EventKind;
  client?: EventClient;
  details?: EventDetails;
  now?: Date;
}

/** The row's columns, for `events: { create: … }` inside another model's write (a new session). */
export function eventData({ userId, kind, client = NO_CLIENT, details, now = new Date() }: NewEvent) {
  return {
    id: randomId(),
    userId,
    kind,
    at: now,
    userAgent: client.userAgent,
    ipPrefix: client.ipPrefix,
    details: details && Object.keys(details).length > 0 ? JSON.stringify(details) : null,
  };
}

/** Inserts the event; run it in the change's transaction (a batch or an interactive one, through `queries`). */
export function recordEvent(event: NewEvent, queries: Pick<Database, "event"> = db) {
  return queries.event.create({ data: eventData(event), select: { id: true } });
}

/**
 * A failed or throttled sign-in against the account that has `email`: one row per account, kind and sign-in
 * window, whose count goes up with each attempt and which keeps the latest client. Nothing for an email no account
 * has. The increment is one upsert (INSERT … ON CONFLICT DO UPDATE on both databases): atomic however many
 * attempts arrive at once, so a burst writes one row.
 */
export async function recordSignInRefusal(kind: AggregatedKind, email: string, client: EventClient, now = new Date()): Promise<void> {
  const user = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (!user) return;
  const windowMs = abuseLimits().signInWindowSeconds * 1000;
  const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
  const { id: _random, ...row } = eventData({ userId: user.id, kind, client, now });
  await db.event.upsert({
    where: { id: `${kind}:${user.id}:${windowStart}` },
    create: { id: `${kind}:${user.id}:${windowStart}`, ...row },
    update: { count: { increment: 1 }, at: now, userAgent: client.userAgent, ipPrefix: client.ipPrefix },
    select: { id: true },
  });
}
