// The attempt limits against a real database, under parallel bursts: however many requests arrive at once, no
// more than the limit's number of passwords is ever checked (lib/limits/throttle.server.ts counts before the hash).
import { beforeAll, describe, expect, it } from "vitest";
import { abuseLimits } from "@/lib/config";
import { db } from "@/lib/db/db.server";
import { hashesStarted, verifyAgainstDummy } from "@/lib/passwords/hashing.server";
import { attemptPasswordConfirmation, attemptSignIn } from "@/lib/users/sign-in.server";
import { attemptSignUp } from "@/lib/users/sign-up.server";
import { countAttempt, settleAttempts, throttleKey } from "@/lib/limits/throttle.server";
import { limitedNetwork } from "@/lib/http/client-info";
import { createUser } from "@/lib/users/store.server";
import { newAddress, newEmail, PASSWORD as password, uniqueId } from "../support/people";

const burst = <T>(size: number, attempt: (i: number) => Promise<T>) => Promise.all(Array.from({ length: size }, (_, i) => attempt(i)));
type Outcome = { ok: boolean; reason?: string };

/** Runs a burst and counts the password hashes it cost, besides what each attempt was told. */
async function burstTally(size: number, attempt: (i: number) => Promise<Outcome>) {
  const before = hashesStarted();
  const outcomes = await burst(size, attempt);
  return {
    hashes: hashesStarted() - before,
    checked: outcomes.filter((o) => o.ok || o.reason === "invalid").length,
    throttled: outcomes.filter((o) => !o.ok && o.reason === "throttled").length,
  };
}

// The process hashes its dummy password (what an unknown email is checked against) once, on first use.
beforeAll(() => verifyAgainstDummy("warm-up"));

describe("sign-in under a parallel burst", { timeout: 30_000 }, () => {
  it("checks at most 10 passwords for one account, from any number of addresses at once", async () => {
    const { email } = await createUser(newEmail("limits"), password);
    const limit = abuseLimits().signInsPerAccount;
    const tally = await burstTally(40, (i) => attemptSignIn(email, `wrong password number ${i}`, newAddress()));
    expect(tally).toEqual({ hashes: limit, checked: limit, throttled: 40 - limit });
    // The owner too waits for the window: the limit is the account's, not the attacker's.
    expect(await attemptSignIn(email, password, newAddress())).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("checks at most 50 passwords from one address, across 80 unknown emails at once", async () => {
    const address = newAddress();
    const limit = abuseLimits().signInsPerAddress;
    const tally = await burstTally(80, () => attemptSignIn(newEmail("ghost"), password, address));
    expect(tally).toEqual({ hashes: limit, checked: limit, throttled: 80 - limit });
  });

  it("a success clears the account's count and gives the address its attempt back", async () => {
    const { email } = await createUser(newEmail("limits"), password);
    const address = newAddress();
    for (let i = 0; i < 9; i++) await attemptSignIn(email, `wrong password number ${i}`, address);
    expect((await attemptSignIn(email, password, address)).ok).toBe(true);
    expect(await db.throttle.findUniqueOrThrow({ where: { key: `account:${email}` } })).toMatchObject({ failures: 0 });
    expect((await db.throttle.findUniqueOrThrow({ where: { key: `address:${limitedNetwork(address)}` } })).failures).toBe(9);
  });
});

describe("password confirmation under a parallel burst", { timeout: 30_000 }, () => {
  it("shares the account's limit: at most 10 guesses at once, then even the right password waits", async () => {
    const user = await createUser(newEmail("limits"), password);
    const limit = abuseLimits().signInsPerAccount;
    const tally = await burstTally(40, (i) => attemptPasswordConfirmation(user, `wrong password number ${i}`, null));
    expect(tally).toEqual({ hashes: limit, checked: limit, throttled: 40 - limit });
    expect(await attemptPasswordConfirmation(user, password, null)).toMatchObject({ ok: false, reason: "throttled" });
    expect(await attemptSignIn(user.email, password, null)).toMatchObject({ ok: false, reason: "throttled" });
  });
});

describe("sign-up under a parallel burst", { timeout: 30_000 }, () => {
  it("creates at most the address's limit of accounts, however many arrive at once", async () => {
    const address = newAddress();
    const label = `burst-${uniqueId()}`;
    const client = { userAgent: null, ipPrefix: null, address };
    const limit = abuseLimits().signUpsPerAddress;
    const tally = await burstTally(40, (i) => attemptSignUp(`${label}-${i}@example.com`, password, client));
    expect(tally).toEqual({ hashes: limit, checked: limit, throttled: 40 - limit });
    expect(await db.user.count({ where: { email: { startsWith: label } } })).toBe(limit);
  });
});

describe("counts and settlements of the same keys at once", { timeout: 30_000 }, () => {
  // Each statement takes several keys' rows (an account's and an address's). Taken in different orders, two of them
  // would each hold a row the other waits for until PostgreSQL failed one (a deadlock), and a correct sign-in with it.
  it("counts and settlements of two keys, sent all at once in any order and mix, all finish", async () => {
    const rule = { scope: "test-pair", max: 1000, windowSeconds: 60 };
    const [first, second] = [throttleKey(rule, `a-${uniqueId()}`), throttleKey(rule, `b-${uniqueId()}`)];
    await countAttempt([first, second]);
    const mix = [
      () => countAttempt([first, second]),
      () => countAttempt([second, first]),
      () => countAttempt([first]), // moves its row after the other in PostgreSQL's table, where an UPDATE meets them
      () => settleAttempts({ cleared: [first], uncounted: [second] }),
    ];
    const finished = await Promise.allSettled(Array.from({ length: 300 }, (_, i) => mix[i % mix.length]!()));
    expect(finished.filter(({ status }) => status === "rejected")).toEqual([]);
  });
});

describe("windows", () => {
  it("each rule's window restarts on its own clock, whatever another rule's window is", async () => {
    const short = throttleKey({ scope: "test-short", max: 2, windowSeconds: 60 }, `k-${uniqueId()}`);
    const long = throttleKey({ scope: "test-long", max: 1000, windowSeconds: 3600 }, `k-${uniqueId()}`);
    const start = new Date();
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    expect(await countAttempt([short, long], at(0))).toBe(0);
    expect(await countAttempt([short, long], at(1))).toBe(0);
    expect(await countAttempt([short, long], at(2))).toBe(58);
    // The short window has ended: a new one starts, and it throttles again after two attempts.
    expect(await countAttempt([short, long], at(61))).toBe(0);
    expect(await countAttempt([short, long], at(62))).toBe(0);
    expect(await countAttempt([short, long], at(63))).toBe(58);
  });

  it("a burst that finds the window ended restarts it once: no more than the limit pass, and every attempt counts", async () => {
    const key = throttleKey({ scope: "test-burst", max: 5, windowSeconds: 60 }, `k-${uniqueId()}`);
    const start = new Date();
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    for (let i = 0; i < 8; i++) await countAttempt([key], at(0)); // the first window, over its limit
    const waits = await burst(30, () => countAttempt([key], at(61)));
    expect(waits.filter((wait) => wait === 0)).toHaveLength(5);
    expect(waits.filter((wait) => wait === 60)).toHaveLength(25);
    expect(await db.throttle.findUniqueOrThrow({ where: { key: key.key } })).toMatchObject({ failures: 30, windowStartedAt: at(61) });
  });

  it("a count sweeps away any key's row a day old, which no rule's window still counts", async () => {
    const now = new Date();
    const old = { key: `test-old:${uniqueId()}`, failures: 3, windowStartedAt: new Date(now.getTime() - 25 * 3600_000) };
    const recent = { key: `test-recent:${uniqueId()}`, failures: 3, windowStartedAt: new Date(now.getTime() - 23 * 3600_000) };
    await db.throttle.createMany({ data: [old, recent] });
    await countAttempt([throttleKey({ scope: "test-other", max: 5, windowSeconds: 60 }, uniqueId())], now);
    expect(await db.throttle.findUnique({ where: { key: old.key } })).toBeNull();
    expect(await db.throttle.findUnique({ where: { key: recent.key } })).toMatchObject({ failures: 3 });
  });
});
