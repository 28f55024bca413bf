import "server-only";
// Attempt limits, in the database so that every app instance counts the same attempts. Fixed windows per key:
// the first attempt starts a window, and once `max` attempts fall in it, further ones wait until it ends. Nobody
// is locked out for longer than one window, so an attacker cannot lock the real owner out for good.
//
// An attempt is counted before the work it guards (a password hash), in one atomic increment that returns the
// new count: requests sent all at once each get their own number, so no more than `max` of them ever pass.
import { db, Prisma } from "../db/db.server";
import { toDate } from "../db/raw-values";
import { databaseProvider, databaseUrl } from "../db/url";
import { limitedNetwork } from "../http/client-info";

export interface ThrottleRule {
  /** The key's prefix: what is counted ("account", "address", "sign-up"). */
  scope: string;
  max: number;
  windowSeconds: number;
}

/** One counter: a rule applied to one value (an email, an address). */
export interface ThrottleKey {
  key: string;
  rule: ThrottleRule;
}

export function throttleKey(rule: ThrottleRule, value: string): ThrottleKey {
  return { key: `${rule.scope}:${value}`, rule };
}

/** The counter for a client address: every address of one IPv6 /64 counts as one (limitedNetwork). */
export function addressKey(rule: ThrottleRule, address: string): ThrottleKey {
  return throttleKey(rule, limitedNetwork(address));
}

/** Rows older than this belong to no window of any rule: each count sweeps them. */
const SWEEP_AFTER_SECONDS = 24 * 60 * 60;

const onPostgres = databaseProvider(databaseUrl()) === "postgresql";

/** Keys in byte order, PostgreSQL's `COLLATE "C"`: every statement here takes their rows in this order. */
function inKeyOrder(keys: ThrottleKey[]): ThrottleKey[] {
  return [...keys].sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
}

/**
 * The rows an UPDATE or DELETE of several keys writes. On PostgreSQL they are locked first in key order, as the
 * count's upsert takes them: two statements taking one account's and one address's rows in opposite orders would
 * each wait for the other until PostgreSQL failed one (a deadlock), and a correct sign-in with it. SQLite runs one
 * write at a time.
 */
function rowsWhere(condition: Prisma.Sql): Prisma.Sql {
  return onPostgres ? Prisma.sql`"key" IN (SELECT "key" FROM "throttles" WHERE ${condition} ORDER BY "key" COLLATE "C" FOR UPDATE)` : condition;
}

/**
 * Counts one attempt against every key and returns the seconds to wait when any of them is over its limit
 * (0 when the attempt may go ahead). A key whose window has ended starts a new one first, by its own rule's
 * window. Refused attempts count too: hammering a blocked key does not shorten its wait, nor extend it.
 *
 * Written in SQL both databases accept, not Prisma's query API: every sign-in runs these statements, and Prisma
 * compiles each of its queries anew (about 0.9 ms of CPU against 0.3 ms for the same upsert as SQL; ADR 0006).
 * Dates go in as parameters Prisma formats as its own queries do, so the comparisons match its stored text.
 */
export async function countAttempt(keys: ThrottleKey[], now = new Date()): Promise<number> {
  if (keys.length === 0) return 0;
  const endedWindows = keys.map(
    ({ key, rule }) => Prisma.sql`("key" = ${key} AND "windowStartedAt" <= ${new Date(now.getTime() - rule.windowSeconds * 1000)})`,
  );
  const swept = new Date(now.getTime() - SWEEP_AFTER_SECONDS * 1000);
  await db.$executeRaw`DELETE FROM "throttles" WHERE ${rowsWhere(Prisma.sql`${Prisma.join(endedWindows, " OR ")} OR "windowStartedAt" < ${swept}`)}`;
  // One statement for every key (INSERT … ON CONFLICT DO UPDATE … RETURNING): atomic under concurrency.
  const rows = await db.$queryRaw<{ key: string; failures: unknown; windowStartedAt: unknown }[]>`
    INSERT INTO "throttles" ("key", "failures", "windowStartedAt")
    VALUES ${Prisma.join(inKeyOrder(keys).map(({ key }) => Prisma.sql`(${key}, 1, ${now})`))}
    ON CONFLICT ("key") DO UPDATE SET "failures" = "throttles"."failures" + 1
    RETURNING "key", "failures", "windowStartedAt"`;
  let wait = 0;
  for (const { key, rule } of keys) {
    const row = rows.find((counted) => counted.key === key);
    if (!row) throw new Error(`the throttle's count returned no row for ${key}`);
    const endsAt = toDate(row.windowStartedAt).getTime() + rule.windowSeconds * 1000;
    if (Number(row.failures) > rule.max && endsAt > now.getTime()) {
      wait = Math.max(wait, Math.ceil((endsAt - now.getTime()) / 1000));
    }
  }
  return wait;
}

/**
 * After a success, in one statement: the `cleared` keys' counts start over (a successful sign-in clears its
 * account's), and `uncounted` keys each get one attempt back (a success that should not count against a shared key,
 * an office's one address). A cleared row stays, at zero, until its window ends or the sweep takes it.
 */
export async function settleAttempts({ cleared = [], uncounted = [] }: { cleared?: ThrottleKey[]; uncounted?: ThrottleKey[] }): Promise<void> {
  const keysIn = (keys: ThrottleKey[]) => Prisma.sql`"key" IN (${Prisma.join(keys.map(({ key }) => key))})`;
  const conditions = [
    ...(cleared.length > 0 ? [keysIn(cleared)] : []),
    ...(uncounted.length > 0 ? [Prisma.sql`(${keysIn(uncounted)} AND "failures" > 0)`] : []),
  ];
  if (conditions.length === 0) return;
  const failures = cleared.length > 0 ? Prisma.sql`CASE WHEN ${keysIn(cleared)} THEN 0 ELSE "failures" - 1 END` : Prisma.sql`"failures" - 1`;
  await db.$executeRaw`UPDATE "throttles" SET "failures" = ${failures} WHERE ${rowsWhere(Prisma.join(conditions, " OR "))}`;
}
