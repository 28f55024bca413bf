// Mailed links on the real database: one-time tokens (stored hashed, single use under a burst, bound to their
// purpose), the password reset and the email change, each one transaction that a failing statement undoes whole.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/db.server";
import { confirmEmail } from "@/lib/recovery/email-confirmation.server";
import { requestEmailChange } from "@/lib/recovery/email-change.server";
import { mailResetLink, requestPasswordReset, resetPassword } from "@/lib/recovery/password-reset.server";
import { createSession, endSession, findLiveSession } from "@/lib/sessions/store.server";
import { issueOneTimeToken, purgeExpiredOneTimeTokens, spendOneTimeToken, type TokenGrant } from "@/lib/tokens/one-time-tokens.server";
import { authenticate, changePassword, createUser, createUserWithSession } from "@/lib/users/store.server";
import { failStatements, overlapping, pauseStatements } from "../support/failing-statement";
import { newEmail, PASSWORD as password } from "../support/people";

const client = { userAgent: "test", ipPrefix: null };

/** A token for the user, stored, as a mail would carry it. */
async function tokenFor(grant: TokenGrant, ttlSeconds = 600, now = new Date()): Promise<string> {
  const { token, insert } = issueOneTimeToken(grant, ttlSeconds, now);
  await insert;
  return token;
}

/** The token in the newest queued mail to `to`, as the person would click it. */
async function mailedToken(to: string): Promise<string> {
  const mail = await db.outboxMail.findFirstOrThrow({ where: { to }, orderBy: { createdAt: "desc" } });
  const token = mail.text.match(/token=([A-Za-z0-9_-]{43})/)?.[1];
  if (!token) throw new Error(`no token in:\n${mail.text}`);
  return token;
}

describe("one-time tokens", () => {
  it("are stored as their SHA-256 only", async () => {
    const user = await createUser(newEmail("recovery"), password);
    const token = await tokenFor({ purpose: "password-reset", userId: user.id, email: user.email });
    const rows = await db.oneTimeToken.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("are spent once, by exactly one of 20 concurrent spends", async () => {
    const user = await createUser(newEmail("recovery"), password);
    const token = await tokenFor({ purpose: "password-reset", userId: user.id, email: user.email });
    const spends = await Promise.all(
      Array.from({ length: 20 }, () => db.$transaction((tx) => spendOneTimeToken(tx, token, ["password-reset"]))),
    );
    expect(spends.filter((grant) => grant !== null)).toHaveLength(1);
  });

  it("do only what they were made for, and nothing once expired or altered", async () => {
    const user = await createUser(newEmail("recovery"), password);
    const grant = { userId: user.id, email: user.email };
    const confirmation = await tokenFor({ purpose: "email-confirmation", ...grant });
    const spend = (token: string) => db.$transaction((tx) => spendOneTimeToken(tx, token, ["password-reset"]));
    expect(await spend(confirmation)).toBeNull();
    const expired = await tokenFor({ purpose: "password-reset", ...grant }, 60, new Date(Date.now() - 61_000));
    expect(await spend(expired)).toBeNull();
    const live = await tokenFor({ purpose: "password-reset", ...grant });
    expect(await spend(`${live.slice(0, -1)}${live.endsWith("A") ? "B" : "A"}`)).toBeNull();
    expect(await spend(`${live}=`)).toBeNull();
    expect(await spend(live)).toEqual({ purpose: "password-reset", ...grant });
  });
});

describe("asking for a reset link", () => {
  it("mails an account's owner a link, and an unknown email nothing", async () => {
    const user = await createUser(newEmail("recovery"), password);
    const unknown = newEmail("nobody");
    for (const email of [user.email, unknown]) await requestPasswordReset(email, null, (task) => void task());
    await expect.poll(() => db.outboxMail.count({ where: { to: user.email, subject: "Reset your Tessera password" } })).toBe(1);
    expect(await db.outboxMail.count({ where: { to: unknown } })).toBe(0);
  });

  it("under a burst of 20 for one account, queues no more mail than the limit", async () => {
    const user = await createUser(newEmail("recovery"), password);
    const tasks: Promise<void>[] = [];
    await Promise.all(
      Array.from({ length: 20 }, () => requestPasswordReset(user.email, null, (task) => void tasks.push(task()))),
    );
    await Promise.all(tasks);
    expect(tasks).toHaveLength(3);
    expect(await db.outboxMail.count({ where: { to: user.email } })).toBe(3);
  });

  it("leaves no token behind when its mail cannot be queued", async () => {
    const user = await createUser(newEmail("recovery"), password);
    const restore = await failStatements("outbox", "INSERT", `NEW."to" = '${user.email}'`);
    try {
      await expect(mailResetLink(user.email, null)).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await db.oneTimeToken.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("resetting a password", () => {
  it("sets the password, confirms the email, ends every session and reset link, and tells the owner", async () => {
    const { user, session: browser } = await createUserWithSession(newEmail("recovery"), password, client);
    const api = await createSession({ userId: user.id, kind: "api", client });
    await mailResetLink(user.email, null);
    const token = await mailedToken(user.email);
    await mailResetLink(user.email, null);
    const newer = await mailedToken(user.email);

    expect(await resetPassword(token, "a brand new passphrase here")).toEqual({ ok: true });
    expect(await authenticate(user.email, password)).toBeNull();
    const after = await authenticate(user.email, "a brand new passphrase here");
    expect(after?.emailVerifiedAt).not.toBeNull();
    expect(await findLiveSession(browser.id)).toBeNull();
    expect(await findLiveSession(api.id)).toBeNull();
    expect(await resetPassword(newer, "another new passphrase here")).toEqual({ ok: false, reason: "invalid-link" });
    expect(await db.outboxMail.count({ where: { to: user.email, subject: "Your Tessera password was changed" } })).toBe(1);
  });

  it("is refused to a link mailed before the password was changed while signed in", async () => {
    const { user, session } = await createUserWithSession(newEmail("recovery"), password, client);
    await mailResetLink(user.email, null);
    const token = await mailedToken(user.email);
    await changePassword(user.id, "changed while signed in, phrase", session.id);
    expect(await resetPassword(token, "a brand new passphrase here")).toEqual({ ok: false, reason: "invalid-link" });
  });

  it("is refused to a link mailed to an address the account no longer has", async () => {
    const user = await createUser(newEmail("recovery"), password);
    await mailResetLink(user.email, null);
    const token = await mailedToken(user.email);
    // However the address changed, the old mailbox proves nothing about the account any more.
    await db.user.update({ where: { id: user.id }, data: { email: newEmail("moved") } });
    const { passwordHash } = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await resetPassword(token, "a brand new passphrase here")).toEqual({ ok: false, reason: "invalid-link" });
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ passwordHash, emailVerifiedAt: null });
  });

  it("with one token used 8 times at once, changes the password exactly once", async () => {
    const user = await createUser(newEmail("recovery"), password);
    const token = await tokenFor({ purpose: "password-reset", userId: user.id, email: user.email });
    const passwords = Array.from({ length: 8 }, (_, i) => `concurrent new passphrase ${i}`);
    const outcomes = await Promise.all(passwords.map((next) => resetPassword(token, next)));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    const winner = passwords[outcomes.findIndex((outcome) => outcome.ok)]!;
    expect(await authenticate(user.email, winner)).not.toBeNull();
    expect(await db.outboxMail.count({ where: { to: user.email, subject: "Your Tessera password was changed" } })).toBe(1);
  });

  it("changes nothing, and keeps the link working, when the notice cannot be queued", async () => {
    const { user, session } = await createUserWithSession(newEmail("recovery"), password, client);
    const token = await tokenFor({ purpose: "password-reset", userId: user.id, email: user.email });
    const restore = await failStatements("outbox", "INSERT", `NEW."to" = '${user.email}' AND NEW."subject" = 'Your Tessera password was changed'`);
    try {
      await expect(resetPassword(token, "a brand new passphrase here")).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await authenticate(user.email, password)).not.toBeNull();
    expect(await findLiveSession(session.id)).not.toBeNull();
    expect(await resetPassword(token, "a brand new passphrase here")).toEqual({ ok: true });
  });
});

describe("sign-up", () => {
  it("queues the confirmation mail with the account, and leaves no account when the mail cannot be queued", async () => {
    const email = newEmail("recovery");
    const restore = await failStatements("outbox", "INSERT", `NEW."to" = '${email}'`);
    try {
      await expect(createUserWithSession(email, password, client)).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await db.user.count({ where: { email } })).toBe(0);
    const { user } = await createUserWithSession(email, password, client);
    expect(await confirmEmail(await mailedToken(email), null)).toEqual({ ok: true, change: false, userId: user.id });
    expect((await authenticate(email, password))?.emailVerifiedAt).not.toBeNull();
  });
});

describe("changing the email", () => {
  it("moves the account to the new address once confirmed, keeping only the confirming session", async () => {
    const { user, session: here } = await createUserWithSession(newEmail("recovery"), password, client);
    const elsewhere = await createSession({ userId: user.id, kind: "api", client });
    const changedTo = newEmail("moved");
    expect(await requestEmailChange(user, changedTo, null)).toBe(0);
    expect(await db.outboxMail.count({ where: { to: user.email, subject: "Your Tessera email is being changed" } })).toBe(1);
    expect(await authenticate(user.email, password)).not.toBeNull();

    const token = await mailedToken(changedTo);
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => confirmEmail(token, here.id)));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(await authenticate(changedTo, password)).not.toBeNull();
    expect(await authenticate(user.email, password)).toBeNull();
    expect(await findLiveSession(here.id)).not.toBeNull();
    expect(await findLiveSession(elsewhere.id)).toBeNull();
  });

  it("refuses an address another account took meanwhile, and leaves the link unspent", async () => {
    const user = await createUser(newEmail("recovery"), password);
    const changedTo = newEmail("contested");
    await requestEmailChange(user, changedTo, null);
    const token = await mailedToken(changedTo);
    await createUser(changedTo, password);
    expect(await confirmEmail(token, null)).toEqual({ ok: false, reason: "taken" });
    expect(await db.oneTimeToken.count({ where: { userId: user.id, purpose: "email-change", spentAt: null } })).toBe(1);
  });
});

describe("housekeeping", () => {
  it("deletes one-time tokens a day past their expiry, and no others", async () => {
    const user = await createUser(newEmail("recovery"), password);
    const grant = { purpose: "password-reset" as const, userId: user.id, email: user.email };
    const now = Date.now();
    await tokenFor(grant, 60, new Date(now - 2 * 86_400_000));
    await tokenFor(grant, 60, new Date(now - 3_600_000));
    await purgeExpiredOneTimeTokens(new Date(now));
    expect(await db.oneTimeToken.count({ where: { userId: user.id } })).toBe(1);
  });
});

describe("taking an account back (found by review, 2026-12-04)", () => {
  const liveLinks = (userId: string, purpose: TokenGrant["purpose"]) =>
    db.oneTimeToken.count({ where: { userId, purpose, spentAt: null } });

  it("a password reset or change kills a pending email-change link: whoever asked for it cannot move the account", async () => {
    for (const takeBack of ["reset", "change"] as const) {
      const owner = await createUserWithSession(newEmail("take-back"), password, client);
      const change = await tokenFor({ purpose: "email-change", userId: owner.user.id, email: newEmail("intruder") });
      if (takeBack === "reset") {
        expect(await resetPassword(await tokenFor({ purpose: "password-reset", userId: owner.user.id, email: owner.user.email }), "the owner's new passphrase")).toEqual({ ok: true });
      } else {
        await changePassword(owner.user.id, "the owner's new passphrase", owner.session.id);
      }
      expect(await liveLinks(owner.user.id, "email-change"), takeBack).toBe(0);
      expect(await confirmEmail(change, null), takeBack).toMatchObject({ ok: false });
      expect((await db.user.findUniqueOrThrow({ where: { id: owner.user.id } })).email, takeBack).toBe(owner.user.email);
    }
  });

  it("a reset of an account whose email was never confirmed removes the passkeys and authenticator app a squatter added", async () => {
    const squatted = await createUser(newEmail("squatted"), password);
    const confirmed = await createUser(newEmail("confirmed"), password);
    await db.user.update({ where: { id: confirmed.id }, data: { emailVerifiedAt: new Date() } });
    for (const user of [squatted, confirmed]) {
      await db.passkey.create({
        data: { id: `cred-${user.id}`, userId: user.id, publicKey: Buffer.from("key"), deviceType: "multiDevice", name: "Key" },
      });
      await db.totpFactor.create({ data: { userId: user.id, encryptedSecret: "sealed", confirmedAt: new Date() } });
      await db.recoveryCode.create({ data: { userId: user.id, codeHash: `hash-${user.id}` } });
      expect(await resetPassword(await tokenFor({ purpose: "password-reset", userId: user.id, email: user.email }), "the owner's new passphrase")).toEqual({ ok: true });
    }
    const waysIn = async (userId: string) => [
      await db.passkey.count({ where: { userId } }),
      await db.totpFactor.count({ where: { userId } }),
      await db.recoveryCode.count({ where: { userId } }),
    ];
    expect(await waysIn(squatted.id)).toEqual([0, 0, 0]);
    // An owner who had proven the mailbox keeps their own.
    expect(await waysIn(confirmed.id)).toEqual([1, 1, 1]);
  });

  it("confirming a new email kills the \"this wasn't me\" links that went to the old address", async () => {
    const user = await createUser(newEmail("moving"), password);
    await tokenFor({ purpose: "wasnt-me", userId: user.id, email: user.email });
    const change = await tokenFor({ purpose: "email-change", userId: user.id, email: newEmail("moved") });
    expect(await confirmEmail(change, null)).toMatchObject({ ok: true });
    expect(await liveLinks(user.id, "wasnt-me")).toBe(0);
  });
});

// On PostgreSQL two transactions run at once; SQLite's one writer at a time cannot interleave them.
describe.runIf(process.env.TEST_DATABASE === "postgresql")("a reset link spent while the password changes", () => {
  it("both finish, one after the other: the link takes the account's row before its own", { timeout: 30_000 }, async () => {
    const owner = await createUserWithSession(newEmail("racing"), password, client);
    const link = await tokenFor({ purpose: "password-reset", userId: owner.user.id, email: owner.user.email });
    // The reset has spent its link, not yet committed, when the change begins; the change revokes reset links.
    const pause = await pauseStatements("one_time_tokens", "UPDATE", `NEW."userId" = '${owner.user.id}'`);
    const [reset, changed] = await overlapping(
      pause,
      () => resetPassword(link, "the passphrase from the link"),
      () => changePassword(owner.user.id, "the passphrase typed in the account", owner.session.id),
    );
    expect(reset).toEqual({ status: "fulfilled", value: { ok: true } });
    expect(changed.status).toBe("fulfilled");
    // The change waited for the reset, so its password is the one that stays.
    expect(await authenticate(owner.user.email, "the passphrase typed in the account")).not.toBeNull();
  });
});

describe.runIf(process.env.TEST_DATABASE === "postgresql")("signing out while the email changes", () => {
  it("both finish: the sign-out waits for the change, whose revocation ended its session already", { timeout: 30_000 }, async () => {
    const owner = await createUserWithSession(newEmail("moving"), password, client);
    const moved = newEmail("moved");
    const link = await tokenFor({ purpose: "email-change", userId: owner.user.id, email: moved });
    // The change has written the new address, not yet committed, when the sign-out begins.
    const pause = await pauseStatements("users", "UPDATE", `NEW."id" = '${owner.user.id}' AND NEW."email" = '${moved}'`);
    const [changed, signedOut] = await overlapping(
      pause,
      () => confirmEmail(link, null),
      () => endSession(owner.user.id, owner.session.id),
    );
    expect(changed).toMatchObject({ status: "fulfilled", value: { ok: true, change: true } });
    expect(signedOut).toEqual({ status: "fulfilled", value: false });
    expect(await findLiveSession(owner.session.id)).toBeNull();
  });
});
