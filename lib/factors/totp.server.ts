import "server-only";
import { requestClient } from "../activity/client.server";
import { recordEvent } from "../activity/record.server";
// The authenticator app (TOTP, RFC 6238) of an account: setting it up, checking its codes, turning it off. The
// secret is sealed at rest (lib/keys/sealing.server.ts, purpose "totp-secret", bound to the user id), so a
// database dump alone gives no codes. A code is accepted once: the step it belongs to must be newer than the last
// step accepted, and recording it is one conditional update, so of parallel submissions of one code exactly one
// wins (RFC 6238, section 5.2: a verifier must not accept the same code a second time).
import { randomBytes } from "node:crypto";
import { sessionConfig } from "../config";
import type { Database } from "../db/client.server";
import { db, holdUserRow, isUniqueViolation } from "../db/db.server";
import { sealFor, unsealFor } from "../keys/sealing.server";
import { logEvent } from "../log.server";
import { appLink } from "../mail/links";
import { enqueueMail } from "../mail/outbox.server";
import { wakeMailSender } from "../mail/sender.server";
import { recoveryCodesReplacedMail, twoFactorDisabledMail, twoFactorEnabledMail } from "../mail/templates";
import { FORGOT_PASSWORD_PATH, SECURITY_PATH } from "../routes";
import { decodeBase32, encodeBase32 } from "./base32";
import { clearCodeAttempts, countCodeAttempt } from "./code-throttle.server";
import { countUnusedRecoveryCodes, replaceRecoveryCodes } from "./recovery-codes.server";
import { matchingStep, normalizeTotpCode, otpauthUri, TOTP_SECRET_BYTES } from "./totp-codes";

type Queries = Pick<Database, "totpFactor">;

export type TotpStatus =
  | { state: "off" }
  /** Set up but not confirmed with a code yet: the secret to show (base32) and what the QR code carries. */
  | { state: "setting-up"; secret: string; uri: string }
  | { state: "on"; since: Date; recoveryCodesLeft: number };

/** A code's check: accepted, or why not. "malformed" is never counted: it was not a guess at a code. */
export type CodeOutcome =
  | { ok: true }
  | { ok: false; reason: "malformed" | "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

function sealSecret(userId: string, secret: string): string {
  return sealFor("totp-secret", secret, userId, sessionConfig().signingSecret);
}

/** The secret's bytes. SESSION_PREVIOUS_SECRETS open what an earlier SESSION_SECRET sealed. */
function openSecret(userId: string, sealed: string): Uint8Array {
  const { signingSecret, previousSecrets } = sessionConfig();
  const base32 = unsealFor("totp-secret", sealed, userId, [signingSecret, ...previousSecrets]);
  const key = decodeBase32(base32);
  if (key === null) throw new Error(`the TOTP secret of ${userId} is not base32`);
  return key;
}

/** Whether signing in to this account takes a code: a factor confirmed with one. */
export async function hasTotp(userId: string, queries: Queries = db): Promise<boolean> {
  const row = await queries.totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true } });
  return row?.confirmedAt != null;
}

export async function totpStatus(user: { id: string; email: string }): Promise<TotpStatus> {
  const row = await db.totpFactor.findUnique({ where: { userId: user.id } });
  if (!row) return { state: "off" };
  if (row.confirmedAt) return { state: "on", since: row.confirmedAt, recoveryCodesLeft: await countUnusedRecoveryCodes(user.id) };
  const secret = encodeBase32(openSecret(user.id, row.encryptedSecret));
  return { state: "setting-up", secret, uri: otpauthUri(secret, user.email) };
}

/**
 * "Set up an authenticator app": a new secret, not in force until confirmed with a code. Replaces a setup in
 * progress; never a factor that is on (false then).
 */
export async function beginTotpSetup(userId: string): Promise<boolean> {
  const encryptedSecret = sealSecret(userId, encodeBase32(randomBytes(TOTP_SECRET_BYTES)));
  const { count } = await db.totpFactor.updateMany({
    where: { userId, confirmedAt: null },
    data: { encryptedSecret, createdAt: new Date(), lastUsedStep: null },
  });
  if (count === 1) return true;
  try {
    await db.totpFactor.create({ data: { userId, encryptedSecret } });
    return true;
  } catch (error) {
    // A factor that is on already, or another tab's setup that got there first: that one stands.
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/**
 * Checks a code (already normalized) against the account's confirmed factor and records its step, in one
 * conditional update: accepted only if the step is newer than the last accepted one. No throttle here: callers
 * count the attempt first. Runs inside the caller's transaction when given one.
 */
export async function acceptTotpCode(userId: string, code: string, queries: Queries = db, now = new Date()): Promise<boolean> {
  const row = await queries.totpFactor.findUnique({ where: { userId } });
  if (!row?.confirmedAt) return false;
  const step = matchingStep(openSecret(userId, row.encryptedSecret), code, now);
  if (step === null) return false;
  const { count } = await queries.totpFactor.updateMany({
    where: { userId, confirmedAt: { not: null }, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }] },
    data: { lastUsedStep: step },
  });
  return count === 1;
}

/**
 * A code typed by a person who is already known (a step-up confirmation, the API's `otp`, turning the factor
 * off): counted against the account's limits first, then checked and recorded.
 */
export async function verifyTotpCode(userId: string, raw: string, now = new Date()): Promise<CodeOutcome> {
  const code = normalizeTotpCode(raw);
  if (code === null) return { ok: false, reason: "malformed" };
  const retryAfterSeconds = await countCodeAttempt(userId, now);
  if (retryAfterSeconds > 0) {
    logEvent("two-factor.throttled", { userId, retryAfterSeconds });
    return { ok: false, reason: "throttled", retryAfterSeconds };
  }
  if (!(await acceptTotpCode(userId, code, db, now))) {
    logEvent("two-factor.failed", { userId });
    return { ok: false, reason: "invalid" };
  }
  await clearCodeAttempts(userId);
  return { ok: true };
}

export type SetupOutcome =
  | { ok: true; recoveryCodes: string[] }
  | { ok: false; reason: "malformed" | "invalid" | "no-setup" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * "Turn on": the first code from the app proves it holds the secret. The factor goes on (its step recorded, so
 * that code cannot be used again), a new set of recovery codes replaces any old one, and the owner is told, in
 * one transaction. Returns the recovery codes, to be shown once.
 */
export async function confirmTotpSetup(user: { id: string; email: string }, raw: string, now = new Date()): Promise<SetupOutcome> {
  const code = normalizeTotpCode(raw);
  if (code === null) return { ok: false, reason: "malformed" };
  const row = await db.totpFactor.findUnique({ where: { userId: user.id } });
  if (!row || row.confirmedAt) return { ok: false, reason: "no-setup" };
  const retryAfterSeconds = await countCodeAttempt(user.id, now);
  if (retryAfterSeconds > 0) return { ok: false, reason: "throttled", retryAfterSeconds };
  const step = matchingStep(openSecret(user.id, row.encryptedSecret), code, now);
  if (step === null) return { ok: false, reason: "invalid" };
  const client = await requestClient();
  const recoveryCodes = await db.$transaction(async (tx) => {
    await holdUserRow(tx, user.id);
    // The secret checked is the one confirmed: a setup restarted in another tab meanwhile is not turned on.
    const { count } = await tx.totpFactor.updateMany({
      where: { userId: user.id, confirmedAt: null, encryptedSecret: row.encryptedSecret },
      data: { confirmedAt: now, lastUsedStep: step },
    });
    if (count !== 1) return null;
    const codes = await replaceRecoveryCodes(user.id, tx, now);
    await enqueueMail(twoFactorEnabledMail(user.email, appLink(SECURITY_PATH)), tx);
    await recordEvent({ userId: user.id, kind: "totp-enabled", client, now }, tx);
    return codes;
  });
  if (recoveryCodes === null) return { ok: false, reason: "no-setup" };
  await clearCodeAttempts(user.id);
  wakeMailSender();
  logEvent("two-factor.enabled", { userId: user.id });
  return { ok: true, recoveryCodes };
}

/**
 * A new set of recovery codes; the old set dies, and the owner is told, in the same transaction: codes are a way
 * in, and whoever holds a stolen session and the password could otherwise take the set unseen. Null when the
 * factor is not on.
 */
export async function regenerateRecoveryCodes(user: { id: string; email: string }, now = new Date()): Promise<string[] | null> {
  const client = await requestClient();
  const codes = await db.$transaction(async (tx) => {
    // Held, so that two regenerations at once take turns: the second replaces the first's set, never adds to it.
    await holdUserRow(tx, user.id);
    if (!(await hasTotp(user.id, tx))) return null;
    await enqueueMail(recoveryCodesReplacedMail(user.email, appLink(SECURITY_PATH)), tx);
    await recordEvent({ userId: user.id, kind: "recovery-codes-regenerated", client, now }, tx);
    return replaceRecoveryCodes(user.id, tx, now);
  });
  if (codes) {
    wakeMailSender();
    logEvent("recovery-codes.replaced", { userId: user.id });
  }
  return codes;
}

/**
 * Turns the factor off (the caller has checked the password and a code): the factor, its recovery codes and any
 * sign-in waiting for a code go, and the owner is told, in one transaction.
 */
export async function turnOffTotp(user: { id: string; email: string }): Promise<void> {
  const client = await requestClient();
  await db.$transaction(async (tx) => {
    await holdUserRow(tx, user.id);
    await tx.totpFactor.deleteMany({ where: { userId: user.id } });
    await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
    await tx.pendingSignIn.deleteMany({ where: { userId: user.id } });
    await enqueueMail(twoFactorDisabledMail(user.email, appLink(FORGOT_PASSWORD_PATH)), tx);
    await recordEvent({ userId: user.id, kind: "totp-disabled", client }, tx);
  });
  wakeMailSender();
  logEvent("two-factor.disabled", { userId: user.id });
}
