import "server-only";
// Has this password appeared in a data breach? Asks the range API (lib/passwords/pwned-range.server.ts) for the
// password's hash prefix, at most once at a time per prefix, and keeps answers a few minutes: a retyped password, or
// the check at sign-in right after sign-up, costs no second request. Fails open: when the service cannot answer,
// the caller judges by the bundled list alone, and the outage is logged once a minute.
import { logEvent } from "../log.server";
import { breachSettings } from "./breach-settings";
import { outageLog } from "./outage-log";
import { fetchRange, rangeKeyOf, type RangeCounts } from "./pwned-range.server";

export type BreachLookup =
  | { status: "breached"; count: number }
  | { status: "not-found" }
  /** The service did not answer usefully in time: nothing is known. */
  | { status: "unavailable" };

export interface BreachCheckerOptions {
  /** The range endpoint, without the prefix. */
  rangeUrl: string;
  /** Sign-up waits at most this long for the service. */
  timeoutMs?: number;
  cacheTtlMs?: number;
  /** An answer is about 30 KB: this many prefixes bound the memory the cache may hold. */
  maxCachedPrefixes?: number;
  outageLogIntervalMs?: number;
  now?: () => number;
}

export interface BreachChecker {
  lookup(password: string): Promise<BreachLookup>;
}

export const BREACH_CHECK_DEFAULTS = {
  timeoutMs: 1_000,
  cacheTtlMs: 5 * 60_000,
  maxCachedPrefixes: 100,
  outageLogIntervalMs: 60_000,
} as const;

export function createBreachChecker(options: BreachCheckerOptions): BreachChecker {
  const { rangeUrl, timeoutMs, cacheTtlMs, maxCachedPrefixes, outageLogIntervalMs } = { ...BREACH_CHECK_DEFAULTS, ...options };
  const now = options.now ?? Date.now;
  // Insertion order is recency order: a hit moves its entry to the end, the oldest goes first.
  const cache = new Map<string, { counts: RangeCounts; expiresAt: number }>();
  const inFlight = new Map<string, Promise<RangeCounts | null>>();
  const outages = outageLog({
    intervalMs: outageLogIntervalMs,
    now,
    write: (line) => logEvent("breached-passwords.unavailable", { ...line, rangeUrl }),
  });

  function cached(prefix: string): RangeCounts | undefined {
    const entry = cache.get(prefix);
    if (!entry) return undefined;
    cache.delete(prefix);
    if (entry.expiresAt <= now()) return undefined;
    cache.set(prefix, entry);
    return entry.counts;
  }

  function remember(prefix: string, counts: RangeCounts): void {
    cache.set(prefix, { counts, expiresAt: now() + cacheTtlMs });
    for (const oldest of cache.keys()) {
      if (cache.size <= maxCachedPrefixes) break;
      cache.delete(oldest);
    }
  }

  /** The prefix's counts, or null when the service failed; callers asking together share one request. */
  function countsFor(prefix: string): Promise<RangeCounts | null> {
    const hit = cached(prefix);
    if (hit) return Promise.resolve(hit);
    let pending = inFlight.get(prefix);
    if (!pending) {
      pending = fetchRange(rangeUrl, prefix, timeoutMs)
        .then((answer) => {
          if (answer.ok) {
            remember(prefix, answer.counts);
            return answer.counts;
          }
          outages.report(answer.problem);
          return null;
        })
        .finally(() => inFlight.delete(prefix));
      inFlight.set(prefix, pending);
    }
    return pending;
  }

  return {
    async lookup(password) {
      const { prefix, suffix } = rangeKeyOf(password);
      const counts = await countsFor(prefix);
      if (counts === null) return { status: "unavailable" };
      const count = counts.get(suffix);
      return count === undefined ? { status: "not-found" } : { status: "breached", count };
    },
  };
}

let shared: BreachChecker | undefined;

/** The process's checker, on PWNED_PASSWORDS_URL: one cache and one outage log for every request. */
export function breachChecker(): BreachChecker {
  shared ??= createBreachChecker({ rangeUrl: breachSettings().rangeUrl });
  return shared;
}
