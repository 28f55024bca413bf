// A small, bounded memory of session tokens that have already verified, so that a signed-in person's next request
// (the same cookie again) skips the HMAC. On the edge runtime the Web Crypto round trip costs several times what
// the rest of a request's check does; remembering the answer for a token we have already checked removes it.
// Safe for the edge runtime: a Map and Date.now(), no Node APIs.
//
// What keeps this safe:
// - Keyed by the exact token string: any change to a token, one bit of its signature included, is a miss and
//   goes through full verification.
// - Only verified claims are ever stored (there is no way to store a failure), so a forged or tampered token is
//   refused every time.
// - An entry is never returned at or after its token's expiry, nor (through verifySessionTokenCached) after the
//   session's absolute timeout, whatever the cache's size or age: it can only answer "yes" where
//   verifySessionToken would have.
// - Bounded: never more than maxEntries; the older half (by when each token was verified) goes first, so a
//   flood of distinct valid tokens costs memory only up to the bound.
// - One cache serves one SessionConfig (one secret, issuer, audience): a token verified under one is not
//   evidence under another.
// What it does not change: middleware never consulted the denylist, so a signed-out token that still verifies
// passes middleware with or without the cache; the data access layer checks the denylist on every request.
import { verifySessionToken, type SessionClaims } from "./jwt";
import type { SessionConfig } from "../config";

/** Enough for every signed-in person active on one server instance at once; about 0.5 KB an entry. */
export const DEFAULT_VERIFIED_TOKEN_CACHE_ENTRIES = 10_000;

export interface VerifiedTokenCache {
  /** The token's verified claims, or undefined when unknown or when `nowMs` is at or past the entry's end. */
  get(token: string, nowMs?: number): SessionClaims | undefined;
  /**
   * Remembers claims that verifySessionToken returned for this exact token, until `untilMs` (at the latest the
   * token's expiry). Ignores an entry whose end has already come.
   */
  set(token: string, claims: SessionClaims, untilMs?: number, nowMs?: number): void;
  clear(): void;
  readonly size: number;
}

export function createVerifiedTokenCache(maxEntries: number = DEFAULT_VERIFIED_TOKEN_CACHE_ENTRIES): VerifiedTokenCache {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`maxEntries must be a positive whole number (got ${maxEntries})`);
  }
  // Two generations instead of one map trimmed an entry at a time: dropping a Map's oldest key one by one leaves
  // deleted slots at its front that every later trim walks past (measured in docs/decisions/0006-benchmarks.md).
  // New entries go into `young`; when it holds
  // `generation` entries it becomes `old` and the previous `old` is dropped whole. `young` then holds fewer than
  // `generation` entries and `old` at most that many: never more than maxEntries, and always the newest half. A
  // token dropped this way is simply verified again on its next request.
  const generation = Math.ceil(maxEntries / 2);
  let young = new Map<string, { claims: SessionClaims; untilMs: number }>();
  let old: typeof young = new Map();
  return {
    get(token, nowMs = Date.now()) {
      const entry = young.get(token) ?? old.get(token);
      if (entry === undefined) return undefined;
      if (nowMs >= entry.untilMs) {
        young.delete(token);
        old.delete(token);
        return undefined;
      }
      return entry.claims;
    },
    set(token, claims, untilMs = claims.expiresAt.getTime(), nowMs = Date.now()) {
      untilMs = Math.min(untilMs, claims.expiresAt.getTime());
      if (nowMs >= untilMs) return;
      old.delete(token); // at most one entry a token: the newer
      young.set(token, { claims, untilMs });
      if (young.size >= generation) {
        old = young;
        young = new Map();
      }
    },
    clear() {
      young = new Map();
      old = new Map();
    },
    get size() {
      return young.size + old.size;
    },
  };
}

const cachesByConfig = new WeakMap<SessionConfig, VerifiedTokenCache>();

/**
 * The process's cache for one configuration: middleware and the data access layer each verify the same cookie on
 * every request, and the second check needs no second HMAC. A new SessionConfig object gets a cache of its own.
 */
export function verifiedTokenCacheFor(config: SessionConfig): VerifiedTokenCache {
  let cache = cachesByConfig.get(config);
  if (cache === undefined) {
    cache = createVerifiedTokenCache();
    cachesByConfig.set(config, cache);
  }
  return cache;
}

/**
 * verifySessionToken with a memory: the cached claims of a token that verified before and has not expired, or a
 * full verification whose success is remembered. Throws TokenError exactly as verifySessionToken does.
 * Treat the returned claims as read-only: a returning token gets the same object each time.
 */
export async function verifySessionTokenCached(
  token: string,
  config: SessionConfig,
  cache: VerifiedTokenCache,
): Promise<SessionClaims> {
  const cached = cache.get(token);
  if (cached) return cached;
  const claims = await verifySessionToken(token, config);
  cache.set(token, claims, sessionEndMs(claims, config));
  return claims;
}

/**
 * When verifySessionToken would start refusing these claims for the session's age: the token's exp is already
 * capped there when we sign it, but a token signed under a longer absolute timeout than the one now configured
 * would otherwise outlive it in the cache.
 */
function sessionEndMs(claims: SessionClaims, config: SessionConfig): number {
  return claims.authTime.getTime() + config.absoluteTimeoutSeconds * 1000;
}
