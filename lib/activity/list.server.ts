import "server-only";
// Reading an account's events, newest first, a page at a time. Every query names the account: a cursor only
// says where in that account's list to go on, so another person's cursor or event id reaches nothing of theirs.
import { db } from "../db/db.server";
import { TesseraError } from "../errors";
import { toEventKind, type EventDetails, type EventKind } from "./kinds";

export const ACTIVITY_PAGE_SIZE = 25;

export interface ActivityEvent {
  id: string;
  kind: EventKind;
  at: Date;
  userAgent: string | null;
  ipPrefix: string | null;
  details: EventDetails;
  /** Attempts an aggregated row stands for (failed or throttled sign-ins); 1 for every other kind. */
  count: number;
  /** The session a sign-in opened, while its row is kept. */
  sessionId: string | null;
}

export interface ActivityPage {
  events: ActivityEvent[];
  /** Pass it back for the next, older page; null on the last. */
  nextCursor: string | null;
}

/** A cursor that is not one this module made. */
export class ActivityCursorError extends TesseraError<"activity-cursor"> {
  static readonly code = "activity-cursor";
  override name = "ActivityCursorError";
  constructor() {
    super(ActivityCursorError.code, "not an activity cursor");
  }
}

interface Position {
  at: Date;
  id: string;
}

function encodeCursor({ at, id }: Position): string {
  return Buffer.from(JSON.stringify([at.getTime(), id])).toString("base64url");
}

// The latest time a cursor may name: 9999-12-31, which both databases store. A later one (or one a JavaScript Date
// cannot hold at all) is no cursor this module made, and would otherwise reach the query as an invalid date.
const LATEST_CURSOR_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function decodeCursor(cursor: string): Position {
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof time === "number" && Number.isSafeInteger(time) && time >= 0 && time <= LATEST_CURSOR_TIME && typeof id === "string" && id.length <= 200) {
      return { at: new Date(time), id };
    }
  } catch {
    // Falls through to the refusal.
  }
  throw new ActivityCursorError();
}

function parseDetails(text: string | null): EventDetails {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const details: EventDetails = {};
    for (const key of ["method", "passkeyName", "role", "provider"] as const) if (typeof value[key] === "string") details[key] = value[key];
    return details;
  } catch {
    return {};
  }
}

const columns = { id: true, kind: true, at: true, userAgent: true, ipPrefix: true, details: true, count: true, sessionId: true } as const;

type Row = { id: string; kind: string; at: Date; userAgent: string | null; ipPrefix: string | null; details: string | null; count: number; sessionId: string | null };

function toEvents(rows: Row[]): ActivityEvent[] {
  return rows.flatMap((row) => {
    const kind = toEventKind(row.kind);
    return kind ? [{ ...row, kind, details: parseDetails(row.details) }] : [];
  });
}

/** One page of the account's events, newest first, after `cursor` when given. Throws ActivityCursorError. */
export async function listEvents(userId: string, { cursor, limit = ACTIVITY_PAGE_SIZE }: { cursor?: string | null; limit?: number } = {}): Promise<ActivityPage> {
  const after = cursor ? decodeCursor(cursor) : null;
  const rows = await db.event.findMany({
    where: { userId, ...(after ? { OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }] } : {}) },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: columns,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { events: toEvents(page), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

/**
 * Every user's latest `perUser` events, for /admin: one statement (a window function, which both databases have),
 * not one query per user.
 */
export async function recentEventsByUser(perUser = 5): Promise<Map<string, ActivityEvent[]>> {
  const rows = await db.$queryRaw<(Omit<Row, "at" | "count"> & { userId: string; at: unknown; count: unknown })[]>`
    SELECT "id", "userId", "kind", "at", "userAgent", "ipPrefix", "details", "count", "sessionId" FROM (
      SELECT e.*, ROW_NUMBER() OVER (PARTITION BY e."userId" ORDER BY e."at" DESC, e."id" DESC) AS "rank" FROM "events" e
    ) ranked WHERE "rank" <= ${perUser} ORDER BY "userId", "at" DESC, "id" DESC`;
  const byUser = new Map<string, ActivityEvent[]>();
  for (const { userId, at, count, ...row } of rows) {
    const events = toEvents([{ ...row, at: at instanceof Date ? at : new Date(String(at)), count: Number(count) }]);
    byUser.set(userId, [...(byUser.get(userId) ?? []), ...events]);
  }
  return byUser;
}
