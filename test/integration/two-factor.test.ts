// The authenticator app (TOTP) and recovery codes on the real database: codes accepted once (under a parallel
// burst too), one step of drift, guesses counted before they are checked (per pending sign-in and per account),
// recovery codes single use, the secret sealed at rest, and the sign-in's transaction cut halfway.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { sessionConfig } from "@/lib/config";
import { db } from "@/lib/db/db.server";
import { decodeBase32 } from "@/lib/factors/base32";
import { CODE_LIMITS } from "@/lib/factors/code-throttle.server";
import {
  completeWithRecoveryCode,
  completeWithTotp,
  findPendingSignIn,
  MAX_PENDING_FAILURES,
  startPendingSignIn,
  type CompletionOutcome,
} from "@/lib/factors/pending-sign-ins.server";
import { hashRecoveryCode, normalizeRecoveryCode, spendRecoveryCode } from "@/lib/factors/recovery-codes.server";
import { codeForStep, timeStep, TOTP_PERIOD_SECONDS } from "@/lib/factors/totp-codes";
import {
  acceptTotpCode,
  beginTotpSetup,
  confirmTotpSetup,
  regenerateRecoveryCodes,
  totpStatus,
  turnOffTotp,
  verifyTotpCode,
} from "@/lib/factors/totp.server";
import { sealFor, unsealFor } from "@/lib/keys/sealing.server";
import { getSession } from "@/lib/sessions/data-access.server";
import { issueTokens } from "@/lib/sign-in/password-grant.server";
import { signIn } from "@/lib/sign-in/sign-in.server";
import { ApiError } from "@/lib/http/json-api.server";
import { changePassword, createUser, type User } from "@/lib/users/store.server";
import { resetPassword } from "@/lib/recovery/password-reset.server";
import { reportWasntMeSignedIn } from "@/lib/recovery/wasnt-me.server";
import { signUpWithIdentity } from "@/lib/providers/accounts.server";
import { issueOneTimeToken } from "@/lib/tokens/one-time-tokens.server";
import { failStatements, overlapping, pauseStatements } from "../support/failing-statement";
import { request } from "../support/request-context";
import { newEmail, PASSWORD as password, uniqueId } from "../support/people";

// A secret being rotated out: TOTP secrets sealed under it must still open.
const PREVIOUS_SECRET = Buffer.alloc(32, 7);
vi.stubEnv("SESSION_PREVIOUS_SECRETS", PREVIOUS_SECRET.toString("base64"));
vi.mock("next/headers", async () => (await import("../support/request-context")).nextHeaders);

const client = { userAgent: "vitest", ipPrefix: null };
const newUser = () => createUser(newEmail("totp"), password);
const REPLACED_SUBJECT = "New recovery codes were made for your Tessera account";
const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

interface WithTotp {
  user: User;
  key: Uint8Array;
  secret: string;
  recoveryCodes: string[];
  /** A code for the time step `offset` steps from now. */
  code: (offset?: number, now?: Date) => string;
}

/** A user whose authenticator app is on, set up 10 minutes ago (so every code of now is still unused). */
async function userWithTotp(): Promise<WithTotp> {
  const user = await newUser();
  expect(await beginTotpSetup(user.id)).toBe(true);
  const status = await totpStatus(user);
  if (status.state !== "setting-up") throw new Error(`expected a setup in progress, got ${status.state}`);
  const key = decodeBase32(status.secret)!;
  const past = new Date(Date.now() - 10 * 60_000);
  const outcome = await confirmTotpSetup(user, codeForStep(key, timeStep(past)), past);
  if (!outcome.ok) throw new Error(`setup refused: ${outcome.reason}`);
  return {
    user,
    key,
    secret: status.secret,
    recoveryCodes: outcome.recoveryCodes,
    code: (offset = 0, now = new Date()) => codeForStep(key, timeStep(now) + offset),
  };
}

/** A six-digit code that belongs to none of the accepted steps. */
function wrongCode(person: WithTotp, now = new Date()): string {
  const right = new Set([-1, 0, 1].map((offset) => person.code(offset, now)));
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, "0");
    if (!right.has(candidate)) return candidate;
  }
}

const pendingFor = async (userId: string, now = new Date()) => (await startPendingSignIn({ id: userId }, "/account", client, now)).token;
const tally = (outcomes: CompletionOutcome[]) =>
  outcomes.reduce<Record<string, number>>((counts, outcome) => {
    const key = outcome.ok ? "ok" : outcome.reason;
    counts[key] = (counts[key] ?? 0) + 1;
    return counts;
  }, {});

beforeEach(() => request.start());

describe("setting up an authenticator app", () => {
  it("stores the secret sealed (no base32 of it anywhere in the row), bound to its user", async () => {
    const user = await newUser();
    await beginTotpSetup(user.id);
    const status = await totpStatus(user);
    if (status.state !== "setting-up") throw new Error("no setup");
    expect(status.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(status.uri).toMatch(/^otpauth:\/\/totp\/Tessera:totp-.*\?secret=[A-Z2-7]{32}&issuer=Tessera/);
    const row = await db.totpFactor.findUniqueOrThrow({ where: { userId: user.id } });
    expect(row.encryptedSecret).toMatch(/^v1\./);
    const dump = JSON.stringify(row);
    for (const spelling of [status.secret, status.secret.toLowerCase(), status.secret.slice(0, 16)]) expect(dump).not.toContain(spelling);
    expect(unsealFor("totp-secret", row.encryptedSecret, user.id, [sessionConfig().signingSecret])).toBe(status.secret);
    expect(() => unsealFor("totp-secret", row.encryptedSecret, "another-user", [sessionConfig().signingSecret])).toThrow();
    expect(() => unsealFor("signing-key", row.encryptedSecret, user.id, [sessionConfig().signingSecret])).toThrow();
  });

  it("asks a password sign-in for a code only once the setup is confirmed", async () => {
    const user = await newUser();
    const signInWithPassword = () => signIn({ factor: { kind: "password", email: user.email, password }, address: null });
    await beginTotpSetup(user.id);
    expect(await signInWithPassword()).toMatchObject({ outcome: "session" });
    const status = await totpStatus(user);
    if (status.state !== "setting-up") throw new Error("no setup");
    expect(await confirmTotpSetup(user, codeForStep(decodeBase32(status.secret)!, timeStep()))).toMatchObject({ ok: true });
    expect(await signInWithPassword()).toMatchObject({ outcome: "second-factor", method: "password" });
  });

  it("turns on only with a right code, then gives ten recovery codes stored as SHA-256 only, and tells the owner", async () => {
    const user = await newUser();
    await beginTotpSetup(user.id);
    const status = await totpStatus(user);
    if (status.state !== "setting-up") throw new Error("no setup");
    const key = decodeBase32(status.secret)!;
    expect(await confirmTotpSetup(user, "12345")).toEqual({ ok: false, reason: "malformed" });
    const wrong = codeForStep(key, timeStep() + 5);
    expect(await confirmTotpSetup(user, wrong)).toEqual({ ok: false, reason: "invalid" });
    expect((await totpStatus(user)).state).toBe("setting-up");

    const outcome = await confirmTotpSetup(user, codeForStep(key, timeStep()));
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.recoveryCodes).toHaveLength(10);
    expect(new Set(outcome.recoveryCodes).size).toBe(10);
    for (const code of outcome.recoveryCodes) expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    const rows = await db.recoveryCode.findMany({ where: { userId: user.id } });
    expect(rows.map((row) => row.codeHash).sort()).toEqual(outcome.recoveryCodes.map((code) => hashRecoveryCode(normalizeRecoveryCode(code)!)).sort());
    const dump = JSON.stringify(rows);
    for (const code of outcome.recoveryCodes) expect(dump).not.toContain(normalizeRecoveryCode(code)!);
    expect(await totpStatus(user)).toMatchObject({ state: "on", recoveryCodesLeft: 10 });
    expect(await db.outboxMail.count({ where: { to: user.email, subject: "Two-step sign-in is on for your Tessera account" } })).toBe(1);
    // Starting another setup cannot replace a factor that is on.
    expect(await beginTotpSetup(user.id)).toBe(false);
  });

  it("opens a secret sealed under a SESSION_SECRET now among SESSION_PREVIOUS_SECRETS", async () => {
    const user = await newUser();
    const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    await db.totpFactor.create({
      data: { userId: user.id, encryptedSecret: sealFor("totp-secret", secret, user.id, PREVIOUS_SECRET), confirmedAt: new Date() },
    });
    expect(await acceptTotpCode(user.id, codeForStep(decodeBase32(secret)!, timeStep()))).toBe(true);
  });
});

describe("a code", () => {
  it("is accepted once, and no older code after it", async () => {
    const person = await userWithTotp();
    // Codes of one moment: recomputed after a 30-second step had begun, "the same code" would be the next one.
    const now = new Date();
    const code = person.code(0, now);
    expect(await acceptTotpCode(person.user.id, code)).toBe(true);
    expect(await acceptTotpCode(person.user.id, code)).toBe(false);
    expect(await acceptTotpCode(person.user.id, person.code(-1, now))).toBe(false);
  });

  it("of 20 parallel submissions, is accepted exactly once", async () => {
    const person = await userWithTotp();
    const code = person.code(0);
    const accepted = await Promise.all(
      Array.from({ length: 20 }, () => db.$transaction((tx) => acceptTotpCode(person.user.id, code, tx))),
    );
    expect(accepted.filter(Boolean)).toHaveLength(1);
  });

  it("signs in exactly once when one code is sent to 5 pending sign-ins at once", async () => {
    const person = await userWithTotp();
    const tokens = await Promise.all(Array.from({ length: 5 }, () => pendingFor(person.user.id)));
    const before = await db.session.count({ where: { userId: person.user.id } });
    const outcomes = await Promise.all(tokens.map((token) => completeWithTotp(token, person.code(0), client)));
    expect(tally(outcomes)).toEqual({ ok: 1, invalid: 4 });
    expect(await db.session.count({ where: { userId: person.user.id } })).toBe(before + 1);
  });

  it("is accepted one step either side of now, and not two", async () => {
    const now = new Date();
    const late = await userWithTotp();
    expect(await acceptTotpCode(late.user.id, late.code(-1, now), db, now)).toBe(true);
    const early = await userWithTotp();
    expect(await acceptTotpCode(early.user.id, early.code(1, now), db, now)).toBe(true);
    const far = await userWithTotp();
    expect(await acceptTotpCode(far.user.id, far.code(-2, now), db, now)).toBe(false);
    expect(await acceptTotpCode(far.user.id, far.code(2, now), db, now)).toBe(false);
    // The same code, checked at the time it belongs to: accepted (it was refused as too old or too new, not as wrong).
    expect(await acceptTotpCode(far.user.id, far.code(-2, now), db, new Date(now.getTime() - 2 * STEP_MS))).toBe(true);
  });

  it("is never accepted for an account whose factor is only being set up, or off", async () => {
    const user = await newUser();
    await beginTotpSetup(user.id);
    const status = await totpStatus(user);
    if (status.state !== "setting-up") throw new Error("no setup");
    expect(await acceptTotpCode(user.id, codeForStep(decodeBase32(status.secret)!, timeStep()))).toBe(false);
    const person = await userWithTotp();
    await turnOffTotp(person.user);
    expect(await acceptTotpCode(person.user.id, person.code(0))).toBe(false);
  });
});

describe("guessing codes", () => {
  it("gets at most 5 checks out of a parallel burst of 40 on one pending sign-in, which then dies", async () => {
    const person = await userWithTotp();
    const token = await pendingFor(person.user.id);
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => completeWithTotp(token, wrongCode(person), client)));
    const counts = tally(outcomes);
    expect(counts.invalid).toBe(MAX_PENDING_FAILURES);
    expect(counts.ended).toBe(40 - MAX_PENDING_FAILURES);
    // Dead: even the right code now needs the password again.
    expect(await findPendingSignIn(token)).toBeNull();
    expect(await completeWithTotp(token, person.code(0), client)).toEqual({ ok: false, reason: "ended" });
    expect(await db.pendingSignIn.count({ where: { userId: person.user.id } })).toBe(0);
  });

  it("gets at most the account's limit out of a parallel burst, across pending sign-ins and step-up", async () => {
    const person = await userWithTotp();
    const tokens = await Promise.all(Array.from({ length: 6 }, () => pendingFor(person.user.id)));
    const burst = await Promise.all([
      ...tokens.flatMap((token) => Array.from({ length: 3 }, () => completeWithTotp(token, wrongCode(person), client))),
      ...Array.from({ length: 12 }, () => verifyTotpCode(person.user.id, wrongCode(person))),
    ]);
    const checked = burst.filter((outcome) => !outcome.ok && outcome.reason === "invalid").length;
    expect(checked).toBe(CODE_LIMITS.short.max);
    expect(burst.filter((outcome) => !outcome.ok && outcome.reason === "throttled")).toHaveLength(30 - CODE_LIMITS.short.max);
    // The right code waits for the window too.
    expect(await verifyTotpCode(person.user.id, person.code(0))).toMatchObject({ ok: false, reason: "throttled" });
    expect(await acceptTotpCode(person.user.id, person.code(0))).toBe(true);
  });

  it("clears the account's count when a code is accepted", async () => {
    const person = await userWithTotp();
    for (let i = 0; i < 3; i++) expect(await verifyTotpCode(person.user.id, wrongCode(person))).toEqual({ ok: false, reason: "invalid" });
    expect(await verifyTotpCode(person.user.id, person.code(0))).toEqual({ ok: true });
    const counts = await db.throttle.findMany({ where: { key: { in: [`totp:${person.user.id}`, `totp-day:${person.user.id}`] } } });
    expect(counts.map((row) => row.failures)).toEqual([0, 0]);
  });

  it("counts nothing for what is not a code at all", async () => {
    const person = await userWithTotp();
    const token = await pendingFor(person.user.id);
    expect(await completeWithTotp(token, "12 34", client)).toEqual({ ok: false, reason: "malformed" });
    expect((await findPendingSignIn(token))?.attemptsLeft).toBe(MAX_PENDING_FAILURES);
  });
});

describe("a pending sign-in", () => {
  it("becomes a new two-factor session with the right code, and is gone", async () => {
    const person = await userWithTotp();
    const token = await pendingFor(person.user.id);
    const code = person.code(0); // once: halves of two computations could straddle a 30-second step
    const outcome = await completeWithTotp(token, ` ${code.slice(0, 3)} ${code.slice(3)} `, client);
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome).toMatchObject({ method: "password+otp", returnTo: "/account", user: { id: person.user.id } });
    expect(await db.session.findUniqueOrThrow({ where: { id: outcome.session.id } })).toMatchObject({ method: "password+otp", kind: "browser" });
    expect(await db.pendingSignIn.count({ where: { userId: person.user.id } })).toBe(0);
    expect(await completeWithTotp(token, person.code(1), client)).toEqual({ ok: false, reason: "ended" });
  });

  it("expires: after its lifetime neither page nor code accepts it", async () => {
    const person = await userWithTotp();
    const token = await pendingFor(person.user.id, new Date(Date.now() - 5 * 60_000 - 1000));
    expect(await findPendingSignIn(token)).toBeNull();
    expect(await completeWithTotp(token, person.code(0), client)).toEqual({ ok: false, reason: "ended" });
    expect(await db.session.count({ where: { userId: person.user.id } })).toBe(0);
    expect(await acceptTotpCode(person.user.id, person.code(0))).toBe(true);
  });

  it("is stored as a hash, and is no session: the data access layer refuses its token as a session cookie", async () => {
    const person = await userWithTotp();
    const token = await pendingFor(person.user.id);
    const row = await db.pendingSignIn.findFirstOrThrow({ where: { userId: person.user.id } });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token);
    const jars: Record<string, string>[] = [{ [sessionConfig().cookieName]: token }, { "pending-sign-in": token }, { "__Secure-pending-sign-in": token }];
    for (const cookies of jars) {
      request.start({ cookies });
      expect(await getSession()).toBeNull();
    }
    expect(await db.session.count({ where: { userId: person.user.id } })).toBe(0);
  });
});

describe("a password change or reset", () => {
  it("ends the sign-ins that got past the old password and wait for a code", async () => {
    const person = await userWithTotp();
    const session = await db.session.create({
      data: { id: `keep-${uniqueId()}`, userId: person.user.id, kind: "browser", expiresAt: new Date(Date.now() + 60_000) },
    });
    const changed = await pendingFor(person.user.id);
    await changePassword(person.user.id, "a brand new passphrase for this", session.id);
    expect(await findPendingSignIn(changed)).toBeNull();

    const reset = await pendingFor(person.user.id);
    const { token, insert } = issueOneTimeToken({ purpose: "password-reset", userId: person.user.id, email: person.user.email }, 600);
    await insert;
    expect(await resetPassword(token, "another brand new passphrase")).toEqual({ ok: true });
    expect(await findPendingSignIn(reset)).toBeNull();
  });
});

// On PostgreSQL two transactions run at once; SQLite's one writer at a time cannot interleave them.
describe.runIf(process.env.TEST_DATABASE === "postgresql")("a sign-in finishing with its code while the account changes", () => {
  const changes: Record<string, (person: WithTotp, keep: string) => Promise<unknown>> = {
    "a change": (person, keep) => changePassword(person.user.id, "a brand new passphrase for this", keep),
    "a reset": async (person) => {
      const { token, insert } = issueOneTimeToken({ purpose: "password-reset", userId: person.user.id, email: person.user.email }, 600);
      await insert;
      return resetPassword(token, "another brand new passphrase");
    },
    // The owner's "This wasn't me" while signed in ends every session too, and sends a reset link.
    '"this wasn\'t me"': (person) => reportWasntMeSignedIn(person.user.id, { userAgent: "vitest", ipPrefix: null }),
    // A provider vouching for the email of this never-confirmed account clears everything that lets anyone in.
    "a provider's clearing": (person) =>
      signUpWithIdentity({ provider: "google", issuer: "https://accounts.google.com", subject: uniqueId(), email: person.user.email, emailVerified: true }, client),
  };
  it.each(Object.keys(changes))("leaves no session of it alive after %s", { timeout: 30_000 }, async (name) => {
    const person = await userWithTotp();
    const keep = await db.session.create({
      data: { id: `keep-${uniqueId()}`, userId: person.user.id, kind: "browser", expiresAt: new Date(Date.now() + 60_000) },
    });
    const pending = await pendingFor(person.user.id);
    // The sign-in has spent its recovery code, not yet committed, when the change begins: each takes the account's
    // row first, so the change waits for the sign-in, whose session it then sees and ends.
    const pause = await pauseStatements("recovery_codes", "UPDATE", `NEW."userId" = '${person.user.id}'`);
    const [finished, changed] = await overlapping(
      pause,
      () => completeWithRecoveryCode(pending, person.recoveryCodes[0]!, client),
      () => changes[name]!(person, keep.id),
    );
    expect(finished).toMatchObject({ status: "fulfilled", value: { ok: true } });
    expect(changed.status).toBe("fulfilled");
    const live = await db.session.findMany({ where: { userId: person.user.id, revokedAt: null }, select: { id: true } });
    expect(live.map((session) => session.id)).toEqual(name === "a change" ? [keep.id] : []);
  });
});

describe("recovery codes", () => {
  it("sign in once each, and mail the owner", async () => {
    const person = await userWithTotp();
    const [code] = person.recoveryCodes;
    const first = await completeWithRecoveryCode(await pendingFor(person.user.id), code!.toUpperCase().replace(/-/g, " "), client);
    expect(first).toMatchObject({ ok: true, method: "password+recovery-code" });
    expect(await completeWithRecoveryCode(await pendingFor(person.user.id), code!, client)).toMatchObject({ ok: false, reason: "invalid" });
    const mail = await db.outboxMail.findMany({ where: { to: person.user.email, subject: "A recovery code was used to sign in to your Tessera account" } });
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain("9 recovery codes are left");
    expect(await totpStatus(person.user)).toMatchObject({ state: "on", recoveryCodesLeft: 9 });
  });

  it("of 10 parallel uses of one code on 10 pending sign-ins, exactly one signs in", async () => {
    const person = await userWithTotp();
    const tokens = await Promise.all(Array.from({ length: 10 }, () => pendingFor(person.user.id)));
    const outcomes = await Promise.all(tokens.map((token) => completeWithRecoveryCode(token, person.recoveryCodes[3]!, client)));
    expect(tally(outcomes)).toEqual({ ok: 1, invalid: 9 });
    expect(await db.session.count({ where: { userId: person.user.id, method: "password+recovery-code" } })).toBe(1);
    expect(await db.outboxMail.count({ where: { to: person.user.email, subject: { startsWith: "A recovery code was used" } } })).toBe(1);
  });

  it("are spent once by 10 parallel spends", async () => {
    const person = await userWithTotp();
    const spent = await Promise.all(
      Array.from({ length: 10 }, () => db.$transaction((tx) => spendRecoveryCode(person.user.id, person.recoveryCodes[0]!, tx))),
    );
    expect(spent.filter(Boolean)).toHaveLength(1);
  });

  it("belong to their own account only", async () => {
    const ada = await userWithTotp();
    const bob = await userWithTotp();
    expect(await completeWithRecoveryCode(await pendingFor(bob.user.id), ada.recoveryCodes[0]!, client)).toMatchObject({ reason: "invalid" });
    expect(await spendRecoveryCode(ada.user.id, ada.recoveryCodes[0]!, db)).toBe(true);
  });

  it("die as a set when a new set is made, and the owner is mailed", async () => {
    const person = await userWithTotp();
    const fresh = await regenerateRecoveryCodes(person.user);
    expect(fresh).toHaveLength(10);
    for (const old of person.recoveryCodes) expect(await spendRecoveryCode(person.user.id, old, db)).toBe(false);
    expect(await spendRecoveryCode(person.user.id, fresh![0]!, db)).toBe(true);
    expect(await db.recoveryCode.count({ where: { userId: person.user.id } })).toBe(10);
    expect(await db.outboxMail.count({ where: { to: person.user.email, subject: REPLACED_SUBJECT } })).toBe(1);
  });

  it("one set survives however many new sets are asked for at once", async () => {
    const person = await userWithTotp();
    const sets = await Promise.all(Array.from({ length: 6 }, () => regenerateRecoveryCodes(person.user)));
    expect(sets.every((set) => set?.length === 10)).toBe(true);
    const unused = await db.recoveryCode.findMany({ where: { userId: person.user.id, usedAt: null }, select: { codeHash: true } });
    expect(unused).toHaveLength(10);
    // The one that survives is one set as its owner saw it.
    const survivor = sets.find((set) => hashRecoveryCode(normalizeRecoveryCode(set![0]!)!) === unused[0]!.codeHash);
    expect(new Set(survivor!.map((code) => hashRecoveryCode(normalizeRecoveryCode(code)!)))).toEqual(new Set(unused.map((row) => row.codeHash)));
  });

  it("stay as they were when the owner's notice of a new set cannot be queued", async () => {
    const person = await userWithTotp();
    const restore = await failStatements("outbox", "INSERT", `NEW."to" = '${person.user.email}'`);
    try {
      await expect(regenerateRecoveryCodes(person.user)).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await db.outboxMail.count({ where: { to: person.user.email, subject: REPLACED_SUBJECT } })).toBe(0);
    expect(await spendRecoveryCode(person.user.id, person.recoveryCodes[0]!, db)).toBe(true);
    expect(await db.recoveryCode.count({ where: { userId: person.user.id } })).toBe(10);
  });

  it("spend nothing and make no session when the owner's notice cannot be queued", async () => {
    const person = await userWithTotp();
    const token = await pendingFor(person.user.id);
    const restore = await failStatements("outbox", "INSERT", `NEW."to" = '${person.user.email}'`);
    try {
      await expect(completeWithRecoveryCode(token, person.recoveryCodes[0]!, client)).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await db.recoveryCode.count({ where: { userId: person.user.id, usedAt: { not: null } } })).toBe(0);
    expect(await db.session.count({ where: { userId: person.user.id } })).toBe(0);
    expect(await findPendingSignIn(token)).not.toBeNull();
    // Nothing was lost: the same code still works.
    expect(await completeWithRecoveryCode(token, person.recoveryCodes[0]!, client)).toMatchObject({ ok: true });
  });
});

describe("turning the factor off", () => {
  it("removes the factor, its recovery codes and waiting sign-ins, and tells the owner", async () => {
    const person = await userWithTotp();
    const token = await pendingFor(person.user.id);
    await turnOffTotp(person.user);
    expect(await totpStatus(person.user)).toEqual({ state: "off" });
    expect(await db.recoveryCode.count({ where: { userId: person.user.id } })).toBe(0);
    expect(await findPendingSignIn(token)).toBeNull();
    expect(await db.outboxMail.count({ where: { to: person.user.email, subject: "Two-step sign-in was turned off for your Tessera account" } })).toBe(1);
  });
});

describe("POST /api/auth/token for an account with an authenticator app", () => {
  const apiClient = { userAgent: "curl", ipPrefix: null, address: null };
  const refusal = (promise: Promise<unknown>) => promise.then(() => expect.fail("expected a refusal"), (error: unknown) => error as ApiError);

  it("needs a code: mfa_required without one, invalid_grant with a wrong or replayed one, a two-factor session with a right one", async () => {
    const person = await userWithTotp();
    const missing = await refusal(issueTokens({ email: person.user.email, password, client: apiClient }));
    expect(missing).toMatchObject({ status: 401, error: "mfa_required" });
    const wrong = await refusal(issueTokens({ email: person.user.email, password, client: apiClient, otp: wrongCode(person) }));
    expect(wrong).toMatchObject({ status: 401, error: "invalid_grant" });
    const code = person.code(0);
    const pair = await issueTokens({ email: person.user.email, password, client: apiClient, otp: code });
    const claims = JSON.parse(Buffer.from(pair.access_token.split(".")[1]!, "base64url").toString("utf8"));
    expect(claims.amr).toEqual(["pwd", "otp", "mfa"]);
    const replayed = await refusal(issueTokens({ email: person.user.email, password, client: apiClient, otp: code }));
    expect(replayed).toMatchObject({ status: 401, error: "invalid_grant" });
    // A wrong password with a right code is a wrong password.
    const badPassword = await refusal(issueTokens({ email: person.user.email, password: "not the password at all", client: apiClient, otp: person.code(1) }));
    expect(badPassword).toMatchObject({ status: 401, error: "invalid_grant" });
  });
});
