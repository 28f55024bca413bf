// Security activity on the real database: each change writes its event in its own transaction (and, cut halfway,
// leaves neither), failed sign-ins against an account are counted in a bounded number of rows, unknown emails
// write nothing, and no event holds a secret.
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AfterResponse } from "@/lib/http/after-response";
import { activityConfig } from "@/lib/config";
import { db } from "@/lib/db/db.server";
import { decodeBase32 } from "@/lib/factors/base32";
import { codeForStep, timeStep } from "@/lib/factors/totp-codes";
import { beginTotpSetup, confirmTotpSetup, regenerateRecoveryCodes, totpStatus, turnOffTotp } from "@/lib/factors/totp.server";
import { relyingParty } from "@/lib/passkeys/relying-party";
import { registrationOptions, verifyRegistration } from "@/lib/passkeys/registration.server";
import { removePasskey, renamePasskey } from "@/lib/passkeys/store.server";
import { confirmEmail } from "@/lib/recovery/email-confirmation.server";
import { requestEmailChange } from "@/lib/recovery/email-change.server";
import { mailResetLink, resetPassword } from "@/lib/recovery/password-reset.server";
import { reportWasntMe, reportWasntMeSignedIn } from "@/lib/recovery/wasnt-me.server";
import { findUsableToken } from "@/lib/tokens/one-time-tokens.server";
import { createSession, endSession, endSessionsOf, findLiveSession, openSession } from "@/lib/sessions/store.server";
import { attemptSignIn } from "@/lib/users/sign-in.server";
import { authenticate, changePassword, createUser, setRole } from "@/lib/users/store.server";
import { ActivityCursorError, listEvents, recentEventsByUser } from "@/lib/activity/list.server";
import { recordEvent } from "@/lib/activity/record.server";
import { openApiSession } from "@/lib/sessions/bearer.server";
import { GET as getActivity } from "@/app/api/me/activity/route";
import { failStatements } from "../support/failing-statement";
import { request } from "../support/request-context";
import { newAddress, newEmail, PASSWORD as password, uniqueId } from "../support/people";
import { SoftwareAuthenticator } from "../support/software-authenticator";

vi.mock("next/headers", async () => (await import("../support/request-context")).nextHeaders);

const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const client = { userAgent: USER_AGENT, ipPrefix: "203.0.113.0/24" };
const newPassword = "a brand new passphrase for this test";

beforeEach(() => {
  request.start({ headers: { "user-agent": USER_AGENT, "x-tessera-client-address": "203.0.113.7" } });
});

/**
 * Expects the account's events to be `kinds`, oldest first. Events of one millisecond are in no order the clock can
 * tell, so those are taken in the order `kinds` names them; events apart in time must come in that order.
 */
async function expectEvents(userId: string, kinds: string[]): Promise<void> {
  const rows = await db.event.findMany({ where: { userId }, select: { kind: true, at: true } });
  const rank = (kind: string) => kinds.indexOf(kind);
  rows.sort((a, b) => a.at.getTime() - b.at.getTime() || rank(a.kind) - rank(b.kind));
  expect(rows.map((row) => row.kind)).toEqual(kinds);
}

/** Runs afterResponse's tasks when the test asks, as the response having gone. */
function collectingAfter(): { afterResponse: AfterResponse; done: () => Promise<void> } {
  const tasks: Promise<void>[] = [];
  return { afterResponse: (task) => void tasks.push(task()), done: async () => void (await Promise.all(tasks)) };
}

async function mailedToken(to: string): Promise<string> {
  const mail = await db.outboxMail.findFirstOrThrow({ where: { to }, orderBy: { createdAt: "desc" } });
  const token = mail.text.match(/token=([A-Za-z0-9_-]{43})/)?.[1];
  if (!token) throw new Error(`no token in:\n${mail.text}`);
  return token;
}

describe("each change writes its event", () => {
  it("sessions: signed in (with how), signed out, everywhere else, ended by an admin, with device and address", async () => {
    const user = await createUser(newEmail("activity"), password);
    const [here, there, third] = await Promise.all(
      ["password", "passkey", "password+otp"].map((method) =>
        createSession({ userId: user.id, kind: "browser", client, method: method as "password" }),
      ),
    );
    const signedIn = await db.event.findFirstOrThrow({ where: { userId: user.id, sessionId: here!.id } });
    expect(signedIn).toMatchObject({ kind: "signed-in", userAgent: USER_AGENT, ipPrefix: "203.0.113.0/24", details: '{"method":"password"}' });
    expect(await endSession(user.id, third!.id)).toBe(true);
    expect(await endSessionsOf(user.id, { keep: here!.id, client })).toBe(1);
    expect(await findLiveSession(there!.id)).toBeNull();
    expect(await endSessionsOf(user.id)).toBe(1);
    // Nothing left to end: nothing recorded.
    expect(await endSessionsOf(user.id)).toBe(0);
    await expectEvents(user.id, ["signed-in", "signed-in", "signed-in", "signed-out", "signed-out-elsewhere", "sessions-ended-by-admin"]);
  });

  it("passwords: changed, reset; email: change asked for, changed; role", async () => {
    const user = await createUser(newEmail("activity"), password);
    const here = await createSession({ userId: user.id, kind: "browser", client });
    await changePassword(user.id, newPassword, here.id);
    await mailResetLink(user.email, null);
    expect((await resetPassword(await mailedToken(user.email), password)).ok).toBe(true);
    const changedTo = newEmail("activity-new");
    expect(await requestEmailChange(user, changedTo, null)).toBe(0);
    expect((await confirmEmail(await mailedToken(changedTo), null)).ok).toBe(true);
    await setRole(user.id, "admin");
    await expectEvents(user.id, ["signed-in", "password-changed", "password-reset", "email-change-requested", "email-changed", "role-changed"]);
    const changed = await db.event.findFirstOrThrow({ where: { userId: user.id, kind: "password-changed" } });
    expect(changed).toMatchObject({ userAgent: USER_AGENT, ipPrefix: "203.0.113.0/24" });
  });

  it("the authenticator app: on, recovery codes regenerated, off; passkeys: added, renamed, removed", async () => {
    const user = await createUser(newEmail("activity"), password);
    expect(await beginTotpSetup(user.id)).toBe(true);
    const status = await totpStatus(user);
    if (status.state !== "setting-up") throw new Error(`expected a setup in progress, got ${status.state}`);
    const key = decodeBase32(status.secret)!;
    expect((await confirmTotpSetup(user, codeForStep(key, timeStep(new Date())))).ok).toBe(true);
    expect(await regenerateRecoveryCodes(user)).toHaveLength(10);
    await turnOffTotp(user);

    const rp = relyingParty();
    const response = new SoftwareAuthenticator(rp.origin, rp.id).register(await registrationOptions(user));
    const passkey = await verifyRegistration(user, response, "Work laptop");
    expect(await renamePasskey(user.id, passkey.id, "Old laptop")).toMatchObject({ ok: true });
    expect(await removePasskey(user.id, passkey.id)).toBe(true);
    expect(await removePasskey(user.id, passkey.id)).toBe(false);
    await expectEvents(user.id, [
      "totp-enabled",
      "recovery-codes-regenerated",
      "totp-disabled",
      "passkey-added",
      "passkey-renamed",
      "passkey-removed",
    ]);
    const removed = await db.event.findFirstOrThrow({ where: { userId: user.id, kind: "passkey-removed" } });
    expect(JSON.parse(removed.details!)).toEqual({ passkeyName: "Old laptop" });
    // Each passkey added or removed is mailed, as the authenticator app's changes are.
    const subjects = (await db.outboxMail.findMany({ where: { to: user.email }, select: { subject: true, text: true } }));
    expect(subjects.filter((mail) => mail.subject === "A passkey was added to your Tessera account").map((mail) => mail.text)).toEqual([expect.stringContaining("“Work laptop”")]);
    expect(subjects.filter((mail) => mail.subject === "A passkey was removed from your Tessera account").map((mail) => mail.text)).toEqual([expect.stringContaining("“Old laptop”")]);
  });
});

describe("cut between the change and its event", () => {
  const failingEvents = (userId: string) => failStatements("events", "INSERT", `NEW."userId" = '${userId}'`);

  it("a sign-in leaves no session without its event", async () => {
    const user = await createUser(newEmail("activity-cut"), password);
    const restore = await failingEvents(user.id);
    try {
      await expect(createSession({ userId: user.id, kind: "browser", client })).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("a password change keeps the old password and the other sessions", async () => {
    const user = await createUser(newEmail("activity-cut"), password);
    const [here, other] = [await createSession({ userId: user.id, kind: "browser", client }), await createSession({ userId: user.id, kind: "api", client })];
    const restore = await failingEvents(user.id);
    try {
      await expect(changePassword(user.id, newPassword, here.id)).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await authenticate(user.email, password)).not.toBeNull();
    expect(await findLiveSession(other.id)).not.toBeNull();
  });

  it("signing out everywhere else ends no session", async () => {
    const user = await createUser(newEmail("activity-cut"), password);
    const [here, other] = [await createSession({ userId: user.id, kind: "browser", client }), await createSession({ userId: user.id, kind: "browser", client })];
    const restore = await failingEvents(user.id);
    try {
      await expect(endSessionsOf(user.id, { keep: here.id, client })).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await findLiveSession(other.id)).not.toBeNull();
    await expectEvents(user.id, ["signed-in", "signed-in"]);
  });

  it("a passkey is not added or removed without its event and its mail", async () => {
    const user = await createUser(newEmail("activity-cut"), password);
    const rp = relyingParty();
    const response = new SoftwareAuthenticator(rp.origin, rp.id).register(await registrationOptions(user));
    const passkey = await verifyRegistration(user, response, "Phone");
    const restore = await failingEvents(user.id);
    try {
      await expect(removePasskey(user.id, passkey.id)).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await db.passkey.count({ where: { userId: user.id } })).toBe(1);

    // Nor without its mail.
    const noMail = await failStatements("outbox", "INSERT", `NEW."to" = '${user.email}'`);
    try {
      await expect(removePasskey(user.id, passkey.id)).rejects.toThrow();
      const next = new SoftwareAuthenticator(rp.origin, rp.id).register(await registrationOptions(user));
      await expect(verifyRegistration(user, next, "Tablet")).rejects.toThrow();
    } finally {
      await noMail();
    }
    expect(await db.passkey.count({ where: { userId: user.id } })).toBe(1);
    expect(await db.event.count({ where: { userId: user.id, kind: { in: ["passkey-removed", "passkey-added"] } } })).toBe(1);
  });
});

describe("failed sign-ins", () => {
  it("a burst of 30 against one account writes at most one row per kind, counting every attempt", async () => {
    const user = await createUser(newEmail("activity-burst"), password);
    const after = collectingAfter();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => attemptSignIn(user.email, `wrong password number ${i}`, newAddress(), { userAgent: "burst", afterResponse: after.afterResponse })),
    );
    await after.done();
    const rows = await db.event.findMany({ where: { userId: user.id } });
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(new Set(rows.map((row) => row.kind))).toEqual(new Set(["sign-in-failed", "sign-in-throttled"]));
    expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(30);
    expect(rows.every((row) => row.userAgent === "burst" && row.ipPrefix?.startsWith("2001:db8:"))).toBe(true);
  });

  it("against an unknown email write nothing", async () => {
    const userAgent = `ghost-${uniqueId()}`;
    const after = collectingAfter();
    await Promise.all(
      Array.from({ length: 12 }, () => attemptSignIn(newEmail("ghost"), "wrong password for nobody", newAddress(), { userAgent, afterResponse: after.afterResponse })),
    );
    await after.done();
    expect(await db.event.count({ where: { userAgent } })).toBe(0);
  });
});

describe("no event holds a secret", () => {
  it("neither the passwords, nor the link tokens, nor the codes, nor the TOTP secret", async () => {
    const user = await createUser(newEmail("activity-secret"), password);
    const here = await createSession({ userId: user.id, kind: "browser", client });
    await changePassword(user.id, newPassword, here.id);
    await mailResetLink(user.email, null);
    const token = await mailedToken(user.email);
    expect((await resetPassword(token, password)).ok).toBe(true);
    expect(await beginTotpSetup(user.id)).toBe(true);
    const status = await totpStatus(user);
    if (status.state !== "setting-up") throw new Error("expected a setup in progress");
    const setup = await confirmTotpSetup(user, codeForStep(decodeBase32(status.secret)!, timeStep(new Date())));
    if (!setup.ok) throw new Error("setup refused");
    const codes = (await regenerateRecoveryCodes(user))!;
    const after = collectingAfter();
    await attemptSignIn(user.email, "a wrong guess at the password", newAddress(), { afterResponse: after.afterResponse });
    await after.done();

    const table = JSON.stringify(await db.event.findMany({ where: { userId: user.id } }));
    expect(JSON.parse(table)).toHaveLength(6);
    const secrets = [password, newPassword, "a wrong guess at the password", token, status.secret, ...setup.recoveryCodes, ...codes];
    for (const secret of secrets) expect(table).not.toContain(secret);
  });
});

describe("reading the activity", () => {
  /** A user with `n` events a minute apart, the newest last. */
  async function userWithEvents(n: number) {
    const user = await createUser(newEmail("activity-list"), password);
    const start = Date.now() - n * 60_000;
    for (let i = 0; i < n; i++) await recordEvent({ userId: user.id, kind: "password-changed", client, now: new Date(start + i * 60_000) });
    return user;
  }

  it("pages newest first with a cursor, to the end, and refuses a cursor it did not make", async () => {
    const user = await userWithEvents(7);
    const seen: Date[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listEvents(user.id, { cursor, limit: 3 });
      seen.push(...page.events.map((event) => event.at));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((a, b) => b - a));
    await expect(listEvents(user.id, { cursor: "not-a-cursor" })).rejects.toBeInstanceOf(ActivityCursorError);
    // A time past what a Date holds would reach the query as an invalid date, and Prisma would throw its own error.
    const farFuture = Buffer.from(JSON.stringify([9e15, "a"])).toString("base64url");
    await expect(listEvents(user.id, { cursor: farFuture })).rejects.toBeInstanceOf(ActivityCursorError);
  });

  it("a cursor from another account's list shows only the reader's own events", async () => {
    const [ada, bob] = [await userWithEvents(4), await userWithEvents(4)];
    const bobs = await listEvents(bob.id, { limit: 1 });
    const page = await listEvents(ada.id, { cursor: bobs.nextCursor });
    expect(page.events.length).toBeGreaterThan(0);
    const owners = await db.event.findMany({ where: { id: { in: page.events.map((event) => event.id) } }, select: { userId: true } });
    expect(new Set(owners.map((owner) => owner.userId))).toEqual(new Set([ada.id]));
  });

  it("GET /api/me/activity: the token's own events as JSON, paged, a bad cursor a 400, no token a 401", async () => {
    const [ada, bob] = [await userWithEvents(30), await userWithEvents(2)];
    const { access_token: token } = await openApiSession(ada, client);
    const get = (query = "", bearer = token) => getActivity(new Request(`http://localhost/api/me/activity${query}`, { headers: { authorization: `Bearer ${bearer}` } }));
    const first = await get();
    expect(first.status).toBe(200);
    const body = (await first.json()) as { events: { id: string; kind: string; description: string; device: string; address: string }[]; nextCursor: string };
    expect(body.events.length).toBe(25);
    expect(body.events[0]).toMatchObject({ kind: "signed-in", description: "Signed in with password", device: "Chrome on Linux", address: "203.0.113.x" });
    const second = (await (await get(`?cursor=${body.nextCursor}`)).json()) as { events: { id: string }[]; nextCursor: string | null };
    expect(second.events.length).toBe(6);
    expect(second.nextCursor).toBeNull();
    const ids = [...body.events, ...second.events].map((event) => event.id);
    const owners = await db.event.findMany({ where: { id: { in: ids } }, select: { userId: true } });
    expect(new Set(owners.map((owner) => owner.userId))).toEqual(new Set([ada.id]));
    expect(ids).toHaveLength(new Set(ids).size);
    expect((await get("?cursor=%7B%7D")).status).toBe(400);
    expect((await get("", "not-a-token")).status).toBe(401);
    expect(bob.id).not.toBe(ada.id);
  });

  it("/admin's recent events: each user's latest few, newest first", async () => {
    const [ada, bob] = [await userWithEvents(7), await userWithEvents(2)];
    const recent = await recentEventsByUser(5);
    expect(recent.get(ada.id)).toHaveLength(5);
    expect(recent.get(bob.id)).toHaveLength(2);
    const times = recent.get(ada.id)!.map((event) => event.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(times[0]).toBe(Math.max(...(await listEvents(ada.id)).events.map((event) => event.at.getTime())));
  });
});

describe("a sign-in from a new device and place", () => {
  const SUBJECT = "New sign-in to your Tessera account";
  const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
  const mailsTo = (to: string) => db.outboxMail.findMany({ where: { to, subject: SUBJECT }, orderBy: { createdAt: "asc" } });
  const signIn = (userId: string, userAgent: string, ipPrefix: string) => openSession({ userId, kind: "browser", client: { userAgent, ipPrefix } });

  it("mails the owner the device, place, time and a \"This wasn't me\" link; the first sign-in and a known device do not", async () => {
    const user = await createUser(newEmail("new-sign-in"), password);
    expect((await signIn(user.id, USER_AGENT, "203.0.113.0/24")).mailed).toBe(false);
    // Another version of the same browser, same network: the same device as a person reads it.
    expect((await signIn(user.id, USER_AGENT.replace("131.0.0.0", "132.0.0.0"), "203.0.113.0/24")).mailed).toBe(false);
    expect(await mailsTo(user.email)).toHaveLength(0);

    const { session, mailed } = await signIn(user.id, FIREFOX, "198.51.100.0/24");
    expect(mailed).toBe(true);
    const [mail] = await mailsTo(user.email);
    expect(mail!.text).toContain("Device: Firefox on Windows. Place: 198.51.100.x. Time: ");
    const token = mail!.text.match(/This wasn't me:\nhttp:\/\/localhost:3000\/wasnt-me\?token=([A-Za-z0-9_-]{43})/)?.[1];
    expect(token).toBeDefined();
    expect(await db.oneTimeToken.count({ where: { userId: user.id, purpose: "wasnt-me", spentAt: null } })).toBe(1);
    expect(await findLiveSession(session.id)).not.toBeNull();
    // The same new device again: known now.
    expect((await signIn(user.id, FIREFOX, "198.51.100.0/24")).mailed).toBe(false);
  });

  it("a device is known by its browser and its network together, and only within the window", async () => {
    const user = await createUser(newEmail("new-sign-in-window"), password);
    const windowDays = activityConfig().newSignInWindowDays;
    const beforeTheWindow = new Date(Date.now() - (windowDays + 1) * 86_400_000);
    await openSession({ userId: user.id, kind: "browser", client: { userAgent: USER_AGENT, ipPrefix: "203.0.113.0/24" }, now: beforeTheWindow });
    // The very browser and network of that sign-in, but longer ago than the window: new again.
    expect((await signIn(user.id, USER_AGENT, "203.0.113.0/24")).mailed).toBe(true);
    // Known network, another browser; known browser, another network: each is new.
    expect((await signIn(user.id, FIREFOX, "203.0.113.0/24")).mailed).toBe(true);
    expect((await signIn(user.id, USER_AGENT, "198.51.100.0/24")).mailed).toBe(true);
    expect(await mailsTo(user.email)).toHaveLength(3);
  });

  it("is mailed at most 3 times an hour, however many new places sign in, one by one or all at once", async () => {
    const user = await createUser(newEmail("new-sign-in-loop"), password);
    await signIn(user.id, USER_AGENT, "203.0.113.0/24");
    for (let i = 0; i < 5; i++) await signIn(user.id, FIREFOX, `198.51.${i}.0/24`);
    expect(await mailsTo(user.email)).toHaveLength(3);
    expect(await db.event.count({ where: { userId: user.id, kind: "signed-in" } })).toBe(6);

    const burst = await createUser(newEmail("new-sign-in-burst"), password);
    await signIn(burst.id, USER_AGENT, "203.0.113.0/24");
    await Promise.all(Array.from({ length: 12 }, (_, i) => signIn(burst.id, FIREFOX, `192.0.${i}.0/24`)));
    expect(await mailsTo(burst.email)).toHaveLength(3);
    expect(await db.event.count({ where: { userId: burst.id, kind: "signed-in" } })).toBe(13);
  });

  it("cut: the session, its event and its mail exist together or not at all", async () => {
    const user = await createUser(newEmail("new-sign-in-cut"), password);
    await signIn(user.id, USER_AGENT, "203.0.113.0/24");
    const restore = await failStatements("outbox", "INSERT", `NEW."to" = '${user.email}'`);
    try {
      await expect(signIn(user.id, FIREFOX, "198.51.100.0/24")).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
    expect(await db.event.count({ where: { userId: user.id } })).toBe(1);
    expect(await db.oneTimeToken.count({ where: { userId: user.id } })).toBe(0);

    // And the other way: a step after the mail fails (an API session's refresh token), and no mail is left.
    const cutAfter = await failStatements("refresh_tokens", "INSERT", `(SELECT "userId" FROM "sessions" WHERE "id" = NEW."sessionId") = '${user.id}'`);
    try {
      await expect(openApiSession(user, { userAgent: "curl/8.5.0", ipPrefix: "198.51.100.0/24" })).rejects.toThrow();
    } finally {
      await cutAfter();
    }
    expect(await mailsTo(user.email)).toHaveLength(0);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("an API client signing in from a new device is mailed too", async () => {
    const user = await createUser(newEmail("new-sign-in-api"), password);
    await signIn(user.id, USER_AGENT, "203.0.113.0/24");
    await openApiSession(user, { userAgent: "curl/8.5.0", ipPrefix: "198.51.100.0/24" });
    const [mail] = await mailsTo(user.email);
    expect(mail!.text).toContain("Device: curl. Place: 198.51.100.x.");
  });
});

describe("\"This wasn't me\"", () => {
  const RESET = "Reset your Tessera password";
  const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

  /** An owner signed in here, an intruder signed in from elsewhere (browser and API), the mail's token, an old reset link and an email change the intruder asked for. */
  async function intruded() {
    const user = await createUser(newEmail("wasnt-me"), password);
    const owner = (await openSession({ userId: user.id, kind: "browser", client })).session;
    const intruder = (await openSession({ userId: user.id, kind: "browser", client: { userAgent: FIREFOX, ipPrefix: "198.51.100.0/24" } })).session;
    const api = await openApiSession(user, { userAgent: FIREFOX, ipPrefix: "198.51.100.0/24" });
    const token = await mailedToken(user.email);
    await mailResetLink(user.email, null);
    const oldReset = await mailedToken(user.email);
    const changedTo = newEmail("intruder");
    await requestEmailChange(user, changedTo, null);
    const emailChange = await mailedToken(changedTo);
    return { user, token, oldReset, emailChange, sessions: [owner.id, intruder.id, api.sessionId] };
  }

  const resetMails = (to: string) => db.outboxMail.count({ where: { to, subject: RESET } });

  it("from the mail: ends every session, kills every link, mails a working reset link, in one go", async () => {
    const { user, token, oldReset, emailChange, sessions } = await intruded();
    expect(await resetMails(user.email)).toBe(1);
    expect(await reportWasntMe(token, client)).toEqual({ ok: true, userId: user.id });
    for (const id of sessions) expect(await findLiveSession(id)).toBeNull();
    expect(await findUsableToken(oldReset, ["password-reset"])).toBeNull();
    expect(await findUsableToken(emailChange, ["email-change"])).toBeNull();
    expect(await resetMails(user.email)).toBe(2);
    const fresh = await mailedToken(user.email);
    expect(await findUsableToken(fresh, ["password-reset"])).toMatchObject({ userId: user.id });
    expect((await resetPassword(fresh, newPassword)).ok).toBe(true);
    expect(await db.event.count({ where: { userId: user.id, kind: "wasnt-me" } })).toBe(1);
    // Spent: a second use does nothing.
    expect(await reportWasntMe(token, client)).toEqual({ ok: false, reason: "invalid-link" });
  });

  it("one token posted 10 times at once has one effect", async () => {
    const { user, token } = await intruded();
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => reportWasntMe(token, client)));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(await resetMails(user.email)).toBe(2);
    expect(await db.event.count({ where: { userId: user.id, kind: "wasnt-me" } })).toBe(1);
  });

  it("an altered or made-up token changes nothing", async () => {
    const { user, token, sessions } = await intruded();
    const altered = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
    for (const bad of [altered, "", "x".repeat(43), null, { token }]) {
      expect(await reportWasntMe(bad, client)).toEqual({ ok: false, reason: "invalid-link" });
    }
    for (const id of sessions) expect(await findLiveSession(id)).not.toBeNull();
    expect(await resetMails(user.email)).toBe(1);
  });

  it("cut: when the reset mail cannot be queued, every session lives on and the link still works", async () => {
    const { user, token, sessions } = await intruded();
    const restore = await failStatements("outbox", "INSERT", `NEW."to" = '${user.email}'`);
    try {
      await expect(reportWasntMe(token, client)).rejects.toThrow();
    } finally {
      await restore();
    }
    for (const id of sessions) expect(await findLiveSession(id)).not.toBeNull();
    expect(await findUsableToken(token, ["wasnt-me"])).not.toBeNull();
    expect(await db.event.count({ where: { userId: user.id, kind: "wasnt-me" } })).toBe(0);
  });

  it("from the owner's own session (/account/activity) does the same", async () => {
    const { user, sessions, oldReset } = await intruded();
    expect(await reportWasntMeSignedIn(user.id, client)).toEqual({ ok: true, userId: user.id });
    for (const id of sessions) expect(await findLiveSession(id)).toBeNull();
    expect(await findUsableToken(oldReset, ["password-reset"])).toBeNull();
    expect(await resetMails(user.email)).toBe(2);
  });
});
