import "server-only";
import { recordEvent } from "../activity/record.server";
// Between the password and the code. A correct password for an account with an authenticator app makes a pending
// sign-in, not a session: a random 256-bit token in a cookie scoped to /sign-in/verify (pending-cookie.ts), its
// SHA-256 in the database, alive 5 minutes. Nothing else accepts it: it is not a JWT, the session cookie's checks
// (middleware, the data access layer) never see it, and no session row exists for it.
//
// Only a code (or a recovery code) turns it into a session, a new one, in one transaction with the spend: the
// code's step recorded (or the recovery code used, and the owner's notice queued), the pending row deleted, the
// session created. Each attempt is counted on the row before the code is checked, by one conditional increment
// (failures < 5), so a burst of guesses on one pending sign-in gets at most 5 checks; then it is dead, and the
// person types the password again (which the password throttle counts).
import type { Database } from "../db/client.server";
import { TesseraError } from "../errors";
import { db, holdUserRow } from "../db/db.server";
import { logEvent } from "../log.server";
import { appLink } from "../mail/links";
import { enqueueMail } from "../mail/outbox.server";
import { wakeMailSender } from "../mail/sender.server";
import { recoveryCodeUsedMail } from "../mail/templates";
import { SECURITY_PATH } from "../routes";
import { isFirstFactorMethod, withSecondFactor, type FirstFactorMethod, type SignInMethod } from "../tokens/sign-in-methods";
import { holdPassword, openSession, type ClientInfo, type SignInQueries } from "../sessions/store.server";
import { hashOpaqueToken, isOpaqueToken, newOpaqueToken } from "../tokens/opaque-tokens.server";
import { toRole, type Role } from "../tokens/roles";
import { clearCodeAttempts, countCodeAttempt } from "./code-throttle.server";
import { PENDING_SIGN_IN_TTL_SECONDS } from "./pending-cookie";
import { countUnusedRecoveryCodes, normalizeRecoveryCode, spendRecoveryCode } from "./recovery-codes.server";
import { acceptTotpCode } from "./totp.server";
import { normalizeTotpCode } from "./totp-codes";

/** Codes (or recovery codes) one pending sign-in may try; then it dies. */
export const MAX_PENDING_FAILURES = 5;

export interface PendingSignIn {
  userId: string;
  email: string;
  returnTo: string;
  expiresAt: Date;
  attemptsLeft: number;
}

export type CompletedSignIn = {
  ok: true;
  user: { id: string; email: string; role: Role };
  session: { id: string; createdAt: Date };
  method: SignInMethod;
  returnTo: string;
};

export type CompletionOutcome =
  | CompletedSignIn
  /** Not a code at all ("12345", letters): not counted, nothing spent. */
  | { ok: false; reason: "malformed" }
  /** Checked and wrong (or replayed, or spent); `attemptsLeft` 0 means the pending sign-in is now dead. */
  | { ok: false; reason: "invalid"; attemptsLeft: number }
  /** Expired, unknown, already completed, or out of attempts: sign in again. */
  | { ok: false; reason: "ended" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/** The pending sign-in was completed or killed by another request while this one worked: undo, and say "ended". */
class PendingSignInGone extends TesseraError<"pending-sign-in-gone"> {
  static readonly code = "pending-sign-in-gone";
  override name = "PendingSignInGone";
  constructor() {
    super(PendingSignInGone.code, "the pending sign-in ended while this request worked");
  }
}

/**
 * After a first factor (a correct password, a provider's answer): a pending sign-in for the account, remembering
 * which first factor it was, so that the session says "GitHub and authenticator app". Returns the token for the
 * cookie. After a password, `user.passwordHash` is the hash it was checked against: a password changed since opens
 * nothing (PasswordChangedError), as for a session.
 */
export async function startPendingSignIn(
  user: { id: string; passwordHash?: string },
  returnTo: string,
  client: ClientInfo,
  now = new Date(),
  method: FirstFactorMethod = "password",
): Promise<{ token: string; expiresAt: Date }> {
  const token = newOpaqueToken();
  const expiresAt = new Date(now.getTime() + PENDING_SIGN_IN_TTL_SECONDS * 1000);
  // Dead rows go as new ones come: the table holds minutes of sign-ins. Not inside the transaction below, which
  // holds the user's row: sign-ins of different people would wait on each other's sweeps.
  await db.pendingSignIn.deleteMany({ where: { expiresAt: { lte: now } } });
  await db.$transaction(async (tx) => {
    if (user.passwordHash !== undefined) await holdPassword(tx, user.id, user.passwordHash);
    await tx.pendingSignIn.create({
      data: { tokenHash: hashOpaqueToken(token), userId: user.id, createdAt: now, expiresAt, returnTo, method, userAgent: client.userAgent, ipPrefix: client.ipPrefix },
    });
  });
  logEvent("two-factor.pending", { userId: user.id });
  return { token, expiresAt };
}

function live(token: string, now: Date) {
  return { tokenHash: hashOpaqueToken(token), expiresAt: { gt: now }, failures: { lt: MAX_PENDING_FAILURES } };
}

/** The live pending sign-in this token names, or null (unknown, expired, out of attempts, not a token). */
export async function findPendingSignIn(token: string | undefined, now = new Date()): Promise<PendingSignIn | null> {
  if (!isOpaqueToken(token)) return null;
  const row = await db.pendingSignIn.findFirst({
    where: live(token, now),
    select: { userId: true, returnTo: true, expiresAt: true, failures: true, user: { select: { email: true } } },
  });
  if (!row) return null;
  return { userId: row.userId, email: row.user.email, returnTo: row.returnTo, expiresAt: row.expiresAt, attemptsLeft: MAX_PENDING_FAILURES - row.failures };
}

/** Ends a pending sign-in (a cancelled one, or the one just used up). */
export async function endPendingSignIn(token: string | undefined): Promise<void> {
  if (isOpaqueToken(token)) await db.pendingSignIn.deleteMany({ where: { tokenHash: hashOpaqueToken(token) } });
}

/**
 * Counts one attempt on the pending sign-in before anything is checked: one conditional increment, so that of a
 * burst at most MAX_PENDING_FAILURES pass. Null when it is dead (expired, unknown, out of attempts).
 */
async function countPendingAttempt(token: string, now: Date): Promise<{ userId: string; failures: number } | null> {
  const tokenHash = hashOpaqueToken(token);
  const owner = await db.pendingSignIn.findUnique({ where: { tokenHash }, select: { userId: true } });
  if (!owner) return null;
  const { count } = await db.pendingSignIn.updateMany({ where: live(token, now), data: { failures: { increment: 1 } } });
  // Dead rows are not deleted here: attempts counted a moment ago may still be checking their codes. The last
  // refusal deletes it, and new pending sign-ins sweep expired ones.
  if (count !== 1) return null;
  // Read after the increment: at least this attempt's number (more when others counted meanwhile, or gone).
  const row = await db.pendingSignIn.findUnique({ where: { tokenHash }, select: { failures: true } });
  return { userId: owner.userId, failures: row?.failures ?? MAX_PENDING_FAILURES };
}

/** A wrong code: how many tries the pending sign-in has left, and it is deleted when none. */
async function refused(token: string, failures: number, userId: string): Promise<CompletionOutcome> {
  const attemptsLeft = Math.max(0, MAX_PENDING_FAILURES - failures);
  if (attemptsLeft === 0) await endPendingSignIn(token);
  logEvent("two-factor.failed", { userId, attemptsLeft });
  return { ok: false, reason: "invalid", attemptsLeft };
}

/**
 * Deletes the pending row and creates the session, inside the caller's transaction. Throws PendingSignInGone when
 * the row went meanwhile (another tab completed it), which undoes the transaction.
 */
async function sessionFor(
  tx: Pick<Database, "pendingSignIn"> & SignInQueries,
  token: string,
  userId: string,
  second: "otp" | "recovery-code",
  client: ClientInfo,
  now: Date,
) {
  const pending = await tx.pendingSignIn.findUnique({ where: { tokenHash: hashOpaqueToken(token) }, select: { returnTo: true, method: true } });
  const { count } = await tx.pendingSignIn.deleteMany({ where: { tokenHash: hashOpaqueToken(token), expiresAt: { gt: now } } });
  if (count !== 1 || !pending) throw new PendingSignInGone();
  // A value this version does not know reads as a password, as a session's method does.
  const method = withSecondFactor(isFirstFactorMethod(pending.method) ? pending.method : "password", second);
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, role: true } });
  const { session } = await openSession({ userId, kind: "browser", client, now, queries: tx, method });
  return { user: { ...user, role: toRole(user.role) }, session, returnTo: pending.returnTo, method };
}

async function completing(work: () => Promise<CompletionOutcome>): Promise<CompletionOutcome> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PendingSignInGone) return { ok: false, reason: "ended" };
    throw error;
  }
}

/** /sign-in/verify with a code from the authenticator app. */
export async function completeWithTotp(token: string | undefined, raw: string, client: ClientInfo, now = new Date()): Promise<CompletionOutcome> {
  const code = normalizeTotpCode(raw);
  if (code === null) return { ok: false, reason: "malformed" };
  if (!isOpaqueToken(token)) return { ok: false, reason: "ended" };
  const attempt = await countPendingAttempt(token, now);
  if (!attempt) return { ok: false, reason: "ended" };
  const retryAfterSeconds = await countCodeAttempt(attempt.userId, now);
  if (retryAfterSeconds > 0) {
    logEvent("two-factor.throttled", { userId: attempt.userId, retryAfterSeconds });
    return { ok: false, reason: "throttled", retryAfterSeconds };
  }
  return completing(async () => {
    const done = await db.$transaction(async (tx) => {
      await holdUserRow(tx, attempt.userId);
      if (!(await acceptTotpCode(attempt.userId, code, tx, now))) return null;
      return sessionFor(tx, token, attempt.userId, "otp", client, now);
    });
    if (!done) return refused(token, attempt.failures, attempt.userId);
    // The sign-in may have queued a new-sign-in mail.
    wakeMailSender();
    await clearCodeAttempts(attempt.userId);
    logEvent("two-factor.succeeded", { userId: attempt.userId, method: done.method });
    return { ok: true, ...done };
  });
}

/** /sign-in/verify with a recovery code: spent, the owner told, the session made, all in one transaction. */
export async function completeWithRecoveryCode(
  token: string | undefined,
  raw: string,
  client: ClientInfo,
  now = new Date(),
): Promise<CompletionOutcome> {
  if (normalizeRecoveryCode(raw) === null) return { ok: false, reason: "malformed" };
  if (!isOpaqueToken(token)) return { ok: false, reason: "ended" };
  const attempt = await countPendingAttempt(token, now);
  if (!attempt) return { ok: false, reason: "ended" };
  return completing(async () => {
    const done = await db.$transaction(async (tx) => {
      await holdUserRow(tx, attempt.userId);
      if (!(await spendRecoveryCode(attempt.userId, raw, tx, now))) return null;
      const signedIn = await sessionFor(tx, token, attempt.userId, "recovery-code", client, now);
      const left = await countUnusedRecoveryCodes(attempt.userId, tx);
      await enqueueMail(recoveryCodeUsedMail(signedIn.user.email, left, appLink(SECURITY_PATH)), tx);
      await recordEvent({ userId: attempt.userId, kind: "recovery-code-used", client, now }, tx);
      return signedIn;
    });
    if (!done) return refused(token, attempt.failures, attempt.userId);
    wakeMailSender();
    logEvent("recovery-code.used", { userId: attempt.userId });
    return { ok: true, ...done };
  });
}
