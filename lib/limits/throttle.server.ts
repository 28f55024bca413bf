import "server-only";
// Attempt limits, in the database so that every app instance counts the same attempts. Fixed windows per key:
// the first attempt starts a window, and once `max` attempts fall in it, further ones wait until it ends. Nobody
// is locked out for longer than one window, so an attacker cannot lock the real owner out for good.
//
// An attempt is counted before the work it guards (a password hash), in one atomic increment that returns the
// new count: requests sent all at once each get their own number, so no more than `max` of them ever pass.
import { db } from "../db/db.server";

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

/** Rows older than this belong to no window of any rule: a count sweeps them, at most once a minute. */
const SWEEP_AFTER_SECONDS = 24 * 60 * 60;
const SWEEP_EVERY_MS = 60_000;
let nextSweepMs = 0;

/**
 * Counts one attempt against every key and returns the seconds to wait when any of them is over its limit
 * (0 when the attempt may go ahead). A key whose window has ended starts a new one, by its own rule's window.
 * Refused attempts count too: hammering a blocked key does not shorten its wait, nor extend it.
 */
export async function countAttempt(keys: ThrottleKey[], now = new Date()): Promise<number> {
  if (keys.length === 0) return 0;
  await sweepOldRows(now);
  let wait = 0;
  for (const { key, rule } of keys) {
    const window = await countIn(key, rule, now);
    const endsAt = window.startedAt.getTime() + rule.windowSeconds * 1000;
    if (window.failures > rule.max && endsAt > now.getTime()) {
      wait = Math.max(wait, Math.ceil((endsAt - now.getTime()) / 1000));
    }
  }
  return wait;
}

/**
 * One attempt on one key: an atomic increment that returns the new count (INSERT … ON CONFLICT DO UPDATE …
 * RETURNING on both databases), so requests sent all at once each get their own number. When the row's window has
 * ended, one conditional update restarts it at this attempt; of a burst that finds the same ended window, only one
 * restarts it, and each of the others counts again in the new window.
 */
async function countIn(key: string, rule: ThrottleRule, now: Date): Promise<{ failures: number; startedAt: Date }> {
  const windowEnded = (startedAt: Date) => startedAt.getTime() + rule.windowSeconds * 1000 <= now.getTime();
  const increment = () =>
    db.throttle.upsert({
      where: { key },
      create: { key, failures: 1, windowStartedAt: now },
      update: { failures: { increment: 1 } },
      select: { failures: true, windowStartedAt: true },
    });
  const row = await increment();
  if (!windowEnded(row.windowStartedAt)) return { failures: row.failures, startedAt: row.windowStartedAt };
  const restarted = await db.throttle.updateMany({
    where: { key, windowStartedAt: row.windowStartedAt },
    data: { failures: 1, windowStartedAt: now },
  });
  if (restarted.count === 1) return { failures: 1, startedAt: now };
  const again = await increment();
  return { failures: again.failures, startedAt: again.windowStartedAt };
}

/** Deletes rows no window of any rule still counts, at most once a minute per process (a count, not a timer). */
async function sweepOldRows(now: Date): Promise<void> {
  if (now.getTime() < nextSweepMs) return;
  nextSweepMs = now.getTime() + SWEEP_EVERY_MS;
  await db.throttle.deleteMany({ where: { windowStartedAt: { lt: new Date(now.getTime() - SWEEP_AFTER_SECONDS * 1000) } } });
}

/** Forgets a key's attempts: a successful sign-in clears its account's count. */
export async function clearAttempts(key: ThrottleKey): Promise<void> {
  await db.throttle.deleteMany({ where: { key: key.key } });
}

/** Takes one attempt back: a success that should not count against a shared key (an office's one address). */
export async function uncountAttempt(key: ThrottleKey): Promise<void> {
  await db.throttle.updateMany({ where: { key: key.key, failures: { gt: 0 } }, data: { failures: { decrement: 1 } } });
}
