// The breached-password check over real HTTP, against the range API's stub (scripts/pwned-passwords-stub.mjs):
// what is refused, how it fails open, what the cache spares the service, and what ever leaves the process.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/db.server";
import { BREACH_CHECK_DEFAULTS, createBreachChecker, type BreachCheckerOptions } from "@/lib/passwords/breached.server";
import type { BreachSettings } from "@/lib/passwords/breach-settings";
import { signIn } from "@/lib/sign-in/sign-in.server";
import { findLiveSession, createSession } from "@/lib/sessions/store.server";
import { resetPassword } from "@/lib/recovery/password-reset.server";
import { issueOneTimeToken } from "@/lib/tokens/one-time-tokens.server";
import { notePasswordIfBreached } from "@/lib/users/breach-notice.server";
import { vetNewPassword, type BreachDependencies } from "@/lib/users/new-password.server";
import { changePassword, createUser } from "@/lib/users/store.server";
import type { AfterResponse } from "@/lib/http/after-response";
import {
  BREACHED_PASSWORDS,
  PADDED_PASSWORDS,
  sha1Hex,
  startPwnedPasswordsStub,
  type PwnedPasswordsStub,
} from "../../scripts/pwned-passwords-stub.mjs";
import { newAddress, newEmail, PASSWORD } from "../support/people";

const BREACHED = "tessera breached passphrase";
const PADDED = PADDED_PASSWORDS[0]!;
const POLICY = { minLength: 15, maxLength: 128 };
const MESSAGE = "This password has appeared in a data breach 3,861 times. Choose another one.";

let stub: PwnedPasswordsStub;

it("the stub holds the password these tests call breached 3,861 times", () => {
  expect(BREACHED_PASSWORDS[BREACHED]).toBe(3861);
});

beforeAll(async () => {
  stub = await startPwnedPasswordsStub();
});

afterEach(() => {
  stub.release(); // back to answering at once, with nothing left waiting
  stub.requests.length = 0;
  vi.restoreAllMocks();
});

afterAll(async () => {
  await stub.stop();
});

function checker(options: Partial<BreachCheckerOptions> = {}) {
  return createBreachChecker({ rangeUrl: stub.url, timeoutMs: 300, ...options });
}

function rangeMode(options: Partial<BreachCheckerOptions> = {}): BreachDependencies {
  const settings: BreachSettings = { mode: "range", rangeUrl: options.rangeUrl ?? stub.url };
  const shared = checker(options);
  return { settings, checker: () => shared };
}

/** The outage lines lib/ logged (one JSON object per console.log). */
function outageLines(log: { mock: { calls: unknown[][] } }): Record<string, unknown>[] {
  return log.mock.calls
    .map(([line]) => (typeof line === "string" && line.startsWith("{") ? (JSON.parse(line) as Record<string, unknown>) : null))
    .filter((line): line is Record<string, unknown> => line?.event === "breached-passwords.unavailable");
}

describe("a new password against the range API", () => {
  it("refuses a password the corpus holds, with its count as a person reads it", async () => {
    await expect(vetNewPassword(BREACHED, POLICY, rangeMode())).resolves.toEqual({ ok: false, error: MESSAGE });
    const once = await vetNewPassword("seen once in a breach somewhere", POLICY, rangeMode());
    expect(once).toEqual({ ok: false, error: "This password has appeared in a data breach 1 time. Choose another one." });
    const many = await vetNewPassword("a passphrase everybody leaked", POLICY, rangeMode());
    expect(many).toEqual({ ok: false, error: "This password has appeared in a data breach 1,234,567 times. Choose another one." });
  });

  it("accepts a password the corpus does not hold", async () => {
    await expect(vetNewPassword(PASSWORD, POLICY, rangeMode())).resolves.toEqual({ ok: true, value: PASSWORD });
    expect(stub.requests).toHaveLength(1);
  });

  it("ignores the padding: a suffix present only with count 0 is not breached", async () => {
    const { prefix, suffix } = { prefix: sha1Hex(PADDED).slice(0, 5), suffix: sha1Hex(PADDED).slice(5) };
    const body = await (await fetch(`${stub.url}/${prefix}`)).text();
    expect(body).toContain(`${suffix}:0`);
    expect(body.split("\r\n").filter((line) => line.endsWith(":0")).length).toBeGreaterThan(10);
    await expect(checker().lookup(PADDED)).resolves.toEqual({ status: "not-found" });
  });

  it("checks the bundled list first, and the corpus only for what passes it", async () => {
    const common = await vetNewPassword("1qaz2wsx3edc4rfv", POLICY, rangeMode());
    expect(common).toEqual({ ok: false, error: "This password is on a list of the most common passwords. Choose another." });
    expect(stub.requests).toHaveLength(0);
  });

  it("asks nothing when BREACHED_PASSWORDS is offline, and judges by the rules alone when it is off", async () => {
    const offline = { settings: { mode: "offline", rangeUrl: stub.url }, checker: () => checker() } as const;
    await expect(vetNewPassword(BREACHED, POLICY, offline)).resolves.toEqual({ ok: true, value: BREACHED });
    const off = { settings: { mode: "off", rangeUrl: stub.url }, checker: () => checker() } as const;
    await expect(vetNewPassword("1qaz2wsx3edc4rfv", POLICY, off)).resolves.toEqual({ ok: true, value: "1qaz2wsx3edc4rfv" });
    expect(stub.requests).toHaveLength(0);
  });
});

describe("failing open", () => {
  it("a service slower than the timeout: the bundled list alone judges, without waiting for it", async () => {
    // The stub would answer long after this test's own time limit: only the timeout can let it pass.
    stub.behave("slow", { delayMs: 120_000 });
    await expect(vetNewPassword(BREACHED, POLICY, rangeMode({ timeoutMs: 300 }))).resolves.toEqual({ ok: true, value: BREACHED });
    expect(stub.requests).toHaveLength(1);
  });

  it("waits about one second by default", () => {
    expect(BREACH_CHECK_DEFAULTS.timeoutMs).toBe(1_000);
  });

  it("a 500 answer", async () => {
    stub.behave("error");
    await expect(checker().lookup(BREACHED)).resolves.toEqual({ status: "unavailable" });
    await expect(vetNewPassword(BREACHED, POLICY, rangeMode())).resolves.toEqual({ ok: true, value: BREACHED });
  });

  it("an answer that is not a range", async () => {
    stub.behave("garbage");
    await expect(checker().lookup(BREACHED)).resolves.toEqual({ status: "unavailable" });
    await expect(vetNewPassword(BREACHED, POLICY, rangeMode())).resolves.toEqual({ ok: true, value: BREACHED });
  });

  it("an answer far larger than any range: cut off, not read into memory", async () => {
    stub.behave("huge");
    await expect(checker().lookup(BREACHED)).resolves.toEqual({ status: "unavailable" });
  });

  it("a service nobody answers at", async () => {
    const gone = await startPwnedPasswordsStub();
    await gone.stop();
    await expect(createBreachChecker({ rangeUrl: gone.url }).lookup(BREACHED)).resolves.toEqual({ status: "unavailable" });
    await expect(vetNewPassword(BREACHED, POLICY, rangeMode({ rangeUrl: gone.url }))).resolves.toEqual({ ok: true, value: BREACHED });
  });

  it("logs an outage once a minute, not once per request, then says how many failures went unlogged", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    stub.behave("error");
    let now = 1_000_000;
    const check = checker({ now: () => now });
    for (const password of [BREACHED, PASSWORD, PADDED]) await check.lookup(password);
    now += 30_000;
    await check.lookup(BREACHED);
    expect(outageLines(log)).toHaveLength(1);
    expect(outageLines(log)[0]).toMatchObject({ problem: "answered 500", unlogged: 0 });
    now += 30_000;
    await check.lookup(BREACHED);
    expect(outageLines(log)).toHaveLength(2);
    expect(outageLines(log)[1]).toMatchObject({ problem: "answered 500", unlogged: 3 });
    expect(JSON.stringify(outageLines(log))).not.toContain(sha1Hex(BREACHED).slice(5));
  });

  it("does not cache a failure: the next request asks again", async () => {
    stub.behave("error");
    const check = checker();
    await check.lookup(BREACHED);
    stub.behave("ok");
    await expect(check.lookup(BREACHED)).resolves.toEqual({ status: "breached", count: 3861 });
    expect(stub.requests).toHaveLength(2);
  });
});

describe("what the service sees", () => {
  it("only the five-character prefix, padding asked for, and a User-Agent naming Tessera", async () => {
    const check = checker();
    for (const password of [BREACHED, PASSWORD, PADDED]) await check.lookup(password);
    expect(stub.requests.map((request) => request.path)).toEqual(
      [BREACHED, PASSWORD, PADDED].map((password) => `/range/${sha1Hex(password).slice(0, 5)}`),
    );
    for (const request of stub.requests) {
      expect(request.method).toBe("GET");
      expect(request.headers["add-padding"]).toBe("true");
      expect(request.headers["user-agent"]).toMatch(/^Tessera\b/);
    }
    const everything = JSON.stringify(stub.requests);
    for (const password of [BREACHED, PASSWORD, PADDED]) {
      expect(everything).not.toContain(sha1Hex(password).slice(5, 12));
      expect(everything).not.toContain(password);
    }
  });

  it("asks once for a prefix it answered a moment ago", async () => {
    const check = checker();
    await expect(check.lookup(BREACHED)).resolves.toEqual({ status: "breached", count: 3861 });
    await expect(check.lookup(BREACHED)).resolves.toEqual({ status: "breached", count: 3861 });
    expect(stub.requests).toHaveLength(1);
  });

  it("asks again once the cached answer is older than its lifetime", async () => {
    let now = 0;
    const check = checker({ now: () => now, cacheTtlMs: 60_000 });
    await check.lookup(BREACHED);
    now += 60_001;
    await check.lookup(BREACHED);
    expect(stub.requests).toHaveLength(2);
  });

  it("keeps at most maxCachedPrefixes answers, dropping the least recently used", async () => {
    const check = checker({ maxCachedPrefixes: 2 });
    const [a, b, c] = [BREACHED, PASSWORD, PADDED];
    await check.lookup(a!);
    await check.lookup(b!);
    await check.lookup(a!); // a is now the most recent
    await check.lookup(c!); // b goes
    expect(stub.requests).toHaveLength(3);
    await check.lookup(a!);
    await check.lookup(c!);
    expect(stub.requests).toHaveLength(3);
    await check.lookup(b!);
    expect(stub.requests).toHaveLength(4);
  });

  it("a burst of checks for one prefix shares one request", async () => {
    stub.behave("slow", { delayMs: 100 });
    const check = checker({ timeoutMs: 2_000 });
    const answers = await Promise.all(Array.from({ length: 25 }, () => check.lookup(BREACHED)));
    expect(new Set(answers.map((answer) => JSON.stringify(answer)))).toEqual(new Set([JSON.stringify({ status: "breached", count: 3861 })]));
    expect(stub.requests).toHaveLength(1);
  });
});

describe("a breached password at sign-in", () => {
  /** Runs what sign-in schedules after its answer, so the test can wait for it. */
  function collectingAfter(): { afterResponse: AfterResponse; done: () => Promise<void> } {
    const tasks: Promise<void>[] = [];
    return { afterResponse: (task) => void tasks.push(task()), done: async () => void (await Promise.all(tasks)) };
  }

  beforeAll(() => {
    // The process-wide settings sign-in reads: this file's own, on its stub (read on first use, after this).
    vi.stubEnv("BREACHED_PASSWORDS", "range");
    vi.stubEnv("PWNED_PASSWORDS_URL", stub.url);
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  /** A person with this password, and their stored hash: what a sign-in verified it against. */
  async function breachedPerson(password = BREACHED) {
    const email = newEmail("breached");
    const created = await createUser(email, password);
    const { passwordHash } = await db.user.findUniqueOrThrow({ where: { id: created.id }, select: { passwordHash: true } });
    return { email, user: { ...created, passwordHash: passwordHash!, passwordBreachedAt: null } };
  }

  const mark = async (userId: string) => (await db.user.findUniqueOrThrow({ where: { id: userId } })).passwordBreachedAt;

  it("lets the person in, and marks the account after the answer", async () => {
    const { email, user } = await breachedPerson();
    const after = collectingAfter();
    const answer = await signIn({ factor: { kind: "password", email, password: BREACHED }, address: newAddress(), afterResponse: after.afterResponse });
    expect(answer.outcome).toBe("session");
    await after.done();
    expect(await mark(user.id)).toBeInstanceOf(Date);
    const session = await createSession({ userId: user.id, kind: "browser", client: { userAgent: null, ipPrefix: null } });
    expect((await findLiveSession(session.id))?.user.passwordBreachedAt).toBeInstanceOf(Date);
  });

  it("keeps the date a password was first found breached: a later sign-in does not mark it again", async () => {
    const { email, user } = await breachedPerson();
    const signInOnce = async () => {
      const after = collectingAfter();
      const answer = await signIn({ factor: { kind: "password", email, password: BREACHED }, address: newAddress(), afterResponse: after.afterResponse });
      expect(answer.outcome).toBe("session");
      await after.done();
    };
    await signInOnce();
    const firstFound = await mark(user.id);
    expect(firstFound).toBeInstanceOf(Date);
    await signInOnce();
    expect(await mark(user.id)).toEqual(firstFound);
  });

  it("keeps the first date when two sign-ins read the account before either marked it", async () => {
    const { user } = await breachedPerson();
    await expect(notePasswordIfBreached(user, BREACHED, rangeMode())).resolves.toBe("marked");
    const firstFound = new Date("2026-01-02T03:04:05.000Z");
    await db.user.update({ where: { id: user.id }, data: { passwordBreachedAt: firstFound } });
    // The other sign-in's note, from what it read before the first was written.
    await expect(notePasswordIfBreached(user, BREACHED, rangeMode())).resolves.toBe("already-marked");
    expect(await mark(user.id)).toEqual(firstFound);
  });

  it("answers before the corpus is asked: the lookup is work for after the response", async () => {
    // A prefix the process-wide cache has not seen yet in this file.
    const password = "seen once in a breach somewhere";
    const { email, user } = await breachedPerson(password);
    const held: (() => Promise<void>)[] = [];
    const answer = await signIn({
      factor: { kind: "password", email, password },
      address: newAddress(),
      afterResponse: (task) => void held.push(task),
    });
    expect(answer.outcome).toBe("session");
    expect(stub.requests).toHaveLength(0);
    expect(held).toHaveLength(1);
    await held[0]!();
    expect(stub.requests).toHaveLength(1);
    expect(await mark(user.id)).toBeInstanceOf(Date);
  });

  it("leaves an account whose password is not breached, or that cannot be checked, unmarked", async () => {
    const clean = await breachedPerson(PASSWORD);
    const after = collectingAfter();
    await signIn({ factor: { kind: "password", email: clean.email, password: PASSWORD }, address: newAddress(), afterResponse: after.afterResponse });
    await after.done();
    expect(await mark(clean.user.id)).toBeNull();

    const unchecked = await breachedPerson("a passphrase everybody leaked");
    stub.behave("error");
    await expect(notePasswordIfBreached(unchecked.user, "a passphrase everybody leaked", rangeMode())).resolves.toBe("unknown");
    expect(await mark(unchecked.user.id)).toBeNull();
  });

  it("a wrong password marks nothing and schedules nothing", async () => {
    const { email, user } = await breachedPerson();
    const after = collectingAfter();
    const answer = await signIn({ factor: { kind: "password", email, password: `${BREACHED}!` }, address: newAddress(), afterResponse: after.afterResponse });
    expect(answer.outcome).toBe("refused");
    await after.done();
    expect(await mark(user.id)).toBeNull();
    expect(stub.requests).toHaveLength(0);
  });

  it("does not mark a password changed while the corpus was being asked", async () => {
    const { user } = await breachedPerson();
    // The service answers only once the password has changed: the order is set, not raced against a clock.
    stub.behave("held");
    const asked = stub.requests.length;
    const noting = notePasswordIfBreached(user, BREACHED, rangeMode({ timeoutMs: 30_000 }));
    await vi.waitUntil(() => stub.requests.length > asked, { timeout: 10_000 });
    await changePassword(user.id, PASSWORD, "no-session-to-keep");
    stub.release();
    await expect(noting).resolves.toBe("not-checked");
    expect(await mark(user.id)).toBeNull();
  });

  it("does not mark a password changed before the check began: a sign-in refused after the change notes nothing", async () => {
    const { user } = await breachedPerson();
    await changePassword(user.id, PASSWORD, "no-session-to-keep");
    await expect(notePasswordIfBreached(user, BREACHED, rangeMode())).resolves.toBe("not-checked");
    expect(await mark(user.id)).toBeNull();
  });

  it("a password change clears the mark", async () => {
    const { user } = await breachedPerson();
    await expect(notePasswordIfBreached(user, BREACHED, rangeMode())).resolves.toBe("marked");
    await changePassword(user.id, PASSWORD, "no-session-to-keep");
    expect(await mark(user.id)).toBeNull();
  });

  it("a password reset clears the mark", async () => {
    const { email, user } = await breachedPerson();
    await expect(notePasswordIfBreached(user, BREACHED, rangeMode())).resolves.toBe("marked");
    const { token, insert } = issueOneTimeToken({ purpose: "password-reset", userId: user.id, email }, 600);
    await insert;
    await expect(resetPassword(token, PASSWORD)).resolves.toEqual({ ok: true });
    expect(await mark(user.id)).toBeNull();
  });
});
