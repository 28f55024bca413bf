import "server-only";
// Sign-in throttling, in the database so that every app instance counts the same failures. Fixed windows per key:
// after `max` failures within `windowSeconds`, further attempts wait until the window ends. Nobody is locked out
// for longer than one window, so an attacker cannot lock the real owner out for good.
import { db } from "./db.server";

export interface ThrottleRule {
  scope: "account" | "address";
  max: number;
  windowSeconds: number;
}

/**
 * Per account: 10 failures in 15 minutes (far inside NIST's "no more than 100 consecutive failures"). Per client
 * address: 50 in 15 minutes, which also stops one password sprayed across many accounts.
 */
export const SIGN_IN_RULES: ThrottleRule[] = [
  { scope: "account", max: 10, windowSeconds: 15 * 60 },
  { scope: "address", max: 50, windowSeconds: 15 * 60 },
];

export interface SignInSubject {
  /** The normalized email, whether or not an account has it. */
  email: string;
  /** The client's address; null when unknown (then only the account rule applies). */
  address: string | null;
}

function keysFor(subject: SignInSubject): { key: string; rule: ThrottleRule }[] {
  return SIGN_IN_RULES.flatMap((rule) => {
    const value = rule.scope === "account" ? subject.email : subject.address;
    return value ? [{ key: `${rule.scope}:${value}`, rule }] : [];
  });
}

/** Seconds until this sign-in may be tried again, or 0 when it may be tried now. */
export async function signInRetryAfter(subject: SignInSubject, now = new Date()): Promise<number> {
  const keys = keysFor(subject);
  const rows = await db.throttle.findMany({ where: { key: { in: keys.map((k) => k.key) } } });
  let wait = 0;
  for (const row of rows) {
    const { rule } = keys.find((k) => k.key === row.key)!;
    const endsAt = row.windowStartedAt.getTime() + rule.windowSeconds * 1000;
    if (row.failures >= rule.max && endsAt > now.getTime()) wait = Math.max(wait, Math.ceil((endsAt - now.getTime()) / 1000));
  }
  return wait;
}

/** Counts a failed sign-in against the account and the address. */
export async function recordSignInFailure(subject: SignInSubject, now = new Date()): Promise<void> {
  const longest = Math.max(...SIGN_IN_RULES.map((rule) => rule.windowSeconds));
  // Windows that have ended start afresh; this also keeps the table to recent failures only.
  await db.throttle.deleteMany({ where: { windowStartedAt: { lt: new Date(now.getTime() - longest * 1000) } } });
  for (const { key } of keysFor(subject)) {
    await db.throttle.upsert({
      where: { key },
      create: { key, failures: 1, windowStartedAt: now },
      update: { failures: { increment: 1 } },
    });
  }
}

/** A successful sign-in clears the account's count (not the address's: one success does not excuse a spray). */
export async function clearAccountFailures(email: string): Promise<void> {
  await db.throttle.deleteMany({ where: { key: `account:${email}` } });
}
