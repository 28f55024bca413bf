import "server-only";
// Forgotten passwords (OWASP Forgot Password Cheat Sheet). Asking for a link answers the same whatever the
// email, and the work that differs (finding the account, storing a token, queueing the mail) runs after the
// answer has gone. Using the link sets the new password, confirms the email (the link proved the person reads
// it), ends every session and every other reset link, and tells the owner, all in one transaction.
import { recoveryConfig } from "../config";
import { db } from "../db/db.server";
import { logEvent } from "../log.server";
import type { AfterResponse } from "../http/after-response";
import { countMailRequest } from "../limits/mail-requests.server";
import { appLink } from "../mail/links";
import { enqueueMail } from "../mail/outbox.server";
import { wakeMailSender } from "../mail/sender.server";
import { passwordChangedMail, passwordResetMail } from "../mail/templates";
import { hashPassword } from "../passwords/hashing.server";
import { FORGOT_PASSWORD_PATH, RESET_PASSWORD_PATH } from "../routes";
import { purgeEndedSessions, revokeSessions } from "../sessions/store.server";
import { requestClient } from "../activity/client.server";
import { recordEvent, type EventClient } from "../activity/record.server";
import { isProviderId, providerName } from "../config/providers";
import type { Database } from "../db/client.server";
import { removeUnprovenFactors } from "../ways-in/ways-in.server";
import { findUsableToken, issueOneTimeToken, revokeOneTimeTokens, spendOneTimeToken } from "../tokens/one-time-tokens.server";

/**
 * "Forgot password": counts the request against the mail limits now (the same database work for any email, and
 * a failure here is reported), then, after the answer, mails a reset link if an account has this email.
 * Over a limit, nothing is mailed; the caller answers exactly as when something is.
 */
export async function requestPasswordReset(email: string, address: string | null, afterResponse: AfterResponse): Promise<void> {
  const retryAfterSeconds = await countMailRequest(email, address);
  if (retryAfterSeconds > 0) {
    logEvent("password-reset.throttled", { address, retryAfterSeconds });
    return;
  }
  afterResponse(async () => {
    try {
      await mailResetLink(email, address);
    } catch (error) {
      console.error("password reset mail could not be queued", error);
    }
  });
}

/**
 * A signed-in person with no password asks for the reset mail to set one (their own address, never a typed one):
 * counted against the same mail limits, and queued before the answer, which says when to try again (seconds) or 0.
 */
export async function mailSetPasswordLink(email: string, address: string | null): Promise<number> {
  const retryAfterSeconds = await countMailRequest(email, address);
  if (retryAfterSeconds > 0) return retryAfterSeconds;
  await mailResetLink(email, address);
  return 0;
}

/** Stores a reset token and queues the mail carrying it, together; nothing for an email no account has. */
export async function mailResetLink(email: string, address: string | null, now = new Date()): Promise<void> {
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true } });
  if (!user) return;
  const ttlSeconds = recoveryConfig().passwordResetTtlSeconds;
  const { token, insert } = issueOneTimeToken({ purpose: "password-reset", userId: user.id, email }, ttlSeconds, now);
  const link = appLink(RESET_PASSWORD_PATH, { token });
  await db.$transaction([insert, enqueueMail(passwordResetMail(user.email, link, Math.round(ttlSeconds / 60)))]);
  wakeMailSender();
  logEvent("password-reset.requested", { userId: user.id, address });
}

/** Removes the account's provider connections made without the mailbox proven, each recorded as disconnected. */
async function disconnectUnproven(tx: Pick<Database, "providerAccount" | "event">, userId: string, client: EventClient, now: Date): Promise<void> {
  const unproven = await tx.providerAccount.findMany({ where: { userId, mailboxProven: false }, select: { id: true, provider: true } });
  if (unproven.length === 0) return;
  await tx.providerAccount.deleteMany({ where: { id: { in: unproven.map((link) => link.id) } } });
  for (const link of unproven) {
    const provider = isProviderId(link.provider) ? providerName(link.provider) : link.provider;
    await recordEvent({ userId, kind: "provider-disconnected", client, details: { provider }, now }, tx);
  }
}

export type ResetOutcome = { ok: true } | { ok: false; reason: "invalid-link" };

/**
 * Sets a new password (already checked against the policy) with a reset token. The hash is made first, outside
 * the transaction; the token is then spent inside it, so that of two uses at once exactly one changes anything,
 * and a failure anywhere leaves the token, the password and the sessions as they were.
 * Throws PasswordHasherBusyError, or a database error.
 */
export async function resetPassword(token: string, newPassword: string, now = new Date()): Promise<ResetOutcome> {
  // Checked before the hash too: a made-up token must not cost a password hash.
  if (!(await findUsableToken(token, ["password-reset"], now))) return { ok: false, reason: "invalid-link" };
  const passwordHash = await hashPassword(newPassword);
  const client = await requestClient();
  const userId = await db.$transaction(async (tx) => {
    const grant = await spendOneTimeToken(tx, token, ["password-reset"], now);
    if (!grant) return null;
    // The link proves the mailbox it went to, and only while that is still the account's address: checked here,
    // and again by the password's write, so that an address changed in between is seen too.
    const user = { id: grant.userId, email: grant.email };
    // The spend held the account's row first (holdUserRow): a sign-in finishing with its code right now holds it,
    // so this waited for it, and the revocation below sees its session.
    const before = await tx.user.findFirst({ where: user, select: { emailVerifiedAt: true } });
    if (!before) return null;
    // A sign-in that got past the old password and waits for its code does not get to finish.
    await tx.pendingSignIn.deleteMany({ where: { userId: grant.userId } });
    const { count } = await tx.user.updateMany({
      where: user,
      // The new password passed the breached-password check: the old one's mark goes with it.
      data: { passwordHash, emailVerifiedAt: now, passwordBreachedAt: null },
    });
    if (count !== 1) return null;
    // Whoever knew the old password, or holds a session or a refresh token, is out; other reset links die.
    await revokeSessions({ userId: user.id }, now, tx);
    // An email change asked for in a session the reset is ending may be the intruder's: its link dies too.
    await revokeOneTimeTokens(user.id, ["password-reset", "email-change"], now, tx);
    // The link proved the mailbox: a provider connected without that proof may be whoever pre-registered the
    // address (docs/decisions/0018-sign-in-with-providers.md), and goes.
    await disconnectUnproven(tx, user.id, client, now);
    // So may everything else that lets someone in, added while nobody had proven the mailbox: as a provider's
    // proof clears such an account (lib/providers/accounts.server.ts), the owner's reset clears it.
    if (before.emailVerifiedAt === null) await removeUnprovenFactors(tx, user.id);
    await enqueueMail(passwordChangedMail(user.email, appLink(FORGOT_PASSWORD_PATH)), tx);
    await recordEvent({ userId: user.id, kind: "password-reset", client, now }, tx);
    return user.id;
  });
  if (userId === null) return { ok: false, reason: "invalid-link" };
  wakeMailSender();
  logEvent("password-reset.completed", { userId });
  await purgeEndedSessions(now);
  return { ok: true };
}
