// The memory of verified session tokens: it may only ever answer what verifySessionToken would have answered.
import { afterEach, describe, expect, it, vi } from "vitest";
import { readSessionConfig, type SessionConfig } from "@/lib/config";
import { TokenError, signSessionToken, type SessionClaims, type TokenSubject } from "@/lib/tokens/jwt";
import { createVerifiedTokenCache, verifiedTokenCacheFor, verifySessionTokenCached } from "@/lib/tokens/verified-token-cache";
import { siblingSignatures } from "../support/spellings";

const config: SessionConfig = readSessionConfig({ SESSION_SECRET: Buffer.alloc(32, 7).toString("base64") });
const HOUR = 3600_000;

/** Whole seconds, as tokens carry them. */
const wholeSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

function subject(authTime = wholeSeconds(Date.now())): TokenSubject {
  return { userId: "user-1", sessionId: "session-0123456789abcdef", role: "user", authTime };
}

function claimsExpiringAt(expiresAt: number): SessionClaims {
  const issuedAt = new Date(expiresAt - HOUR);
  return { ...subject(issuedAt), amr: ["pwd"], tokenId: "0123456789abcdefghijkl", issuedAt, expiresAt: new Date(expiresAt) };
}

/** The token with one character of its signature changed: same header and claims, a signature that fails. */
function tampered(token: string): string {
  const last = token.at(-2) === "A" ? "B" : "A";
  return `${token.slice(0, -2)}${last}${token.at(-1)}`;
}

describe("createVerifiedTokenCache", () => {
  it("returns what was set for the exact token, and nothing for any other", () => {
    const cache = createVerifiedTokenCache(10);
    const claims = claimsExpiringAt(Date.now() + HOUR);
    cache.set("a.b.c", claims);
    expect(cache.get("a.b.c")).toBe(claims);
    expect(cache.get("a.b.C")).toBeUndefined();
    expect(cache.get("a.b.c ")).toBeUndefined();
  });

  it("never returns an entry at or after its expiry, and forgets it", () => {
    const cache = createVerifiedTokenCache(10);
    const expiresAt = Date.now() + HOUR;
    cache.set("t", claimsExpiringAt(expiresAt));
    expect(cache.get("t", expiresAt - 1)).toBeDefined();
    expect(cache.get("t", expiresAt)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.get("t", expiresAt - 1)).toBeUndefined();
  });

  it("does not store claims that have already expired", () => {
    const cache = createVerifiedTokenCache(10);
    const now = Date.now();
    cache.set("t", claimsExpiringAt(now), now);
    expect(cache.size).toBe(0);
  });

  it("keeps at most maxEntries, dropping the oldest first", () => {
    const cache = createVerifiedTokenCache(3);
    const claims = claimsExpiringAt(Date.now() + HOUR);
    for (const token of ["t1", "t2", "t3", "t4", "t5"]) cache.set(token, claims);
    expect(cache.size).toBe(3);
    expect(cache.get("t1")).toBeUndefined();
    expect(cache.get("t2")).toBeUndefined();
    expect(["t3", "t4", "t5"].map((token) => cache.get(token))).toEqual([claims, claims, claims]);
  });

  it("never holds more than maxEntries, whatever the mix of lookups, new tokens and tokens set again", () => {
    for (const maxEntries of [1, 2, 3, 10]) {
      const cache = createVerifiedTokenCache(maxEntries);
      const claims = claimsExpiringAt(Date.now() + HOUR);
      for (let i = 0; i < 200; i++) {
        cache.set(`t${i}`, claims);
        cache.get(`t${(i * 7) % (i + 1)}`);
        cache.set(`t${(i * 3) % (i + 1)}`, claims); // an older token verified again
        expect(cache.size).toBeLessThanOrEqual(maxEntries);
      }
      cache.set("newest", claims);
      expect(cache.get("newest")).toBe(claims);
    }
  });

  it("empties on clear", () => {
    const cache = createVerifiedTokenCache(3);
    cache.set("t", claimsExpiringAt(Date.now() + HOUR));
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get("t")).toBeUndefined();
  });

  it("refuses a bound that is not a positive whole number", () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => createVerifiedTokenCache(bad)).toThrow(RangeError);
  });
});

describe("verifySessionTokenCached", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("verifies a new token, then answers the same token from the cache", async () => {
    const cache = createVerifiedTokenCache(10);
    const { token, claims } = await signSessionToken(subject(), config);
    const first = await verifySessionTokenCached(token, config, cache);
    expect(first).toEqual(claims);
    expect(cache.size).toBe(1);
    expect(await verifySessionTokenCached(token, config, cache)).toBe(first);
  });

  it("rejects a tampered token every time, even once the real one is cached, and never stores a failure", async () => {
    const cache = createVerifiedTokenCache(10);
    const { token } = await signSessionToken(subject(), config);
    await verifySessionTokenCached(token, config, cache);
    const forged = tampered(token);
    expect(forged).not.toBe(token);
    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(verifySessionTokenCached(forged, config, cache)).rejects.toBeInstanceOf(TokenError);
    }
    expect(cache.size).toBe(1);
    expect(cache.get(forged)).toBeUndefined();
  });

  it("refuses every other spelling of a valid token, so one cookie cannot evict everyone else's entries", async () => {
    const cache = createVerifiedTokenCache(2);
    const { token: someoneElse } = await signSessionToken(subject(), config);
    await verifySessionTokenCached(someoneElse, config, cache);
    const { token } = await signSessionToken(subject(), config);
    for (const spelling of siblingSignatures(token)) {
      await expect(verifySessionTokenCached(spelling, config, cache)).rejects.toMatchObject({ code: "malformed" });
      expect(cache.get(spelling)).toBeUndefined();
    }
    expect(cache.size).toBe(1);
    expect(cache.get(someoneElse)).toBeDefined();
  });

  it("forgets a token at its expiry, and the token is then refused: the cache cannot revive it", async () => {
    const cache = createVerifiedTokenCache(10);
    const issued = new Date(Date.now() - config.idleTimeoutSeconds * 1000 + 2_000); // expires in about 2 seconds
    const { token, claims } = await signSessionToken(subject(issued), config, issued);
    await verifySessionTokenCached(token, config, cache);
    expect(cache.get(token, claims.expiresAt.getTime())).toBeUndefined();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(claims.expiresAt.getTime() + (config.clockToleranceSeconds + 1) * 1000);
    await expect(verifySessionTokenCached(token, config, cache)).rejects.toMatchObject({ code: "expired" });
    expect(cache.size).toBe(0);
  });

  it("never keeps a token past the session's absolute timeout, even one signed under a longer timeout", async () => {
    const cache = createVerifiedTokenCache(10);
    const now = Date.now();
    const absoluteTimeoutSeconds = config.idleTimeoutSeconds; // shorter than the 30 days the token was signed under
    const authTime = new Date(now - (absoluteTimeoutSeconds - 60) * 1000); // a minute left under the new timeout
    const { token, claims } = await signSessionToken(subject(authTime), config, new Date(now));
    expect(claims.expiresAt.getTime()).toBeGreaterThan(now + HOUR);
    await verifySessionTokenCached(token, { ...config, absoluteTimeoutSeconds }, cache);
    expect(cache.get(token, now + 59_000)).toBeDefined();
    expect(cache.get(token, now + 60_000)).toBeUndefined();
  });
});

describe("verifiedTokenCacheFor", () => {
  it("gives middleware and the data access layer one cache per configuration, never one shared across secrets", async () => {
    expect(verifiedTokenCacheFor(config)).toBe(verifiedTokenCacheFor(config));
    const otherSecret = readSessionConfig({ SESSION_SECRET: Buffer.alloc(32, 8).toString("base64") });
    expect(verifiedTokenCacheFor(otherSecret)).not.toBe(verifiedTokenCacheFor(config));
    // A token verified under one configuration is no evidence under another: the other secret refuses it.
    const { token } = await signSessionToken(subject(), config);
    await verifySessionTokenCached(token, config, verifiedTokenCacheFor(config));
    await expect(verifySessionTokenCached(token, otherSecret, verifiedTokenCacheFor(otherSecret))).rejects.toBeInstanceOf(TokenError);
  });
});
