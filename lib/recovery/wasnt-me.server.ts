import "server-only";
// "This wasn't me": the owner says a sign-in was not theirs. Every session of the account ends (the intruder's
// and the owner's alike), every link still in their mail dies (reset links, an email change the intruder may have
// asked for, other "wasn't me" links), a sign-in waiting for its code is dropped, and a fresh reset link is mailed
// to the account's address, so the owner gets back in and the intruder's password is worthless. One transaction:
// from the mail's single-use token (no session needed), or from the owner's own session (/account/activity).
import { recoveryConfig } from "../config";
import type { Database } from "../db/client.server";
import { db, holdUserRow } from "../db/db.server";
import { logEvent } from "../log.server";
import { recordEvent, type EventClient } from "../activity/record.server";
import { appLink } from "../mail/links";
import { enqueueMail } from "../mail/outbox.server";
import { wakeMailSender } from "../mail/sender.server";
import { passwordResetMail } from "../mail/templates";
import { RESET_PASSWORD_PATH } from "../routes";
import { purgeEndedSessions, revokeSessions } from "../sessions/store.server";
import { issueOneTimeToken, revokeOneTimeTokens, spendOneTimeToken } from "../tokens/one-time-tokens.server";

type Queries = Pick<Database, "session" | "oneTimeToken" | "pendingSignIn" | "outboxMail" | "event" | "user">;

export type WasntMeOutcome = { ok: true; userId: string } | { ok: false; reason: "invalid-link" };

/**
 * Ends every way into the account but a fresh reset link. The caller's transaction already holds the account's row
 * (holdUserRow): a sign-in finishing with its code right now holds it, so this waited for it, and the revocation
 * below sees its session.
 */
async function lockOut(tx: Queries, userId: string, client: EventClient, now: Date): Promise<void> {
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true } });
  await tx.pendingSignIn.deleteMany({ where: { userId } });
  await revokeSessions({ userId }, now, tx);
  await revokeOneTimeTokens(userId, ["password-reset", "email-change", "wasnt-me"], now, tx);
  // Issued after the revocation, so this one link survives it.
  const ttlSeconds = recoveryConfig().passwordResetTtlSeconds;
  const { token, insert } = issueOneTimeToken({ purpose: "password-reset", userId, email: user.email }, ttlSeconds, now, tx);
  await insert;
  await enqueueMail(passwordResetMail(user.email, appLink(RESET_PASSWORD_PATH, { token }), Math.round(ttlSeconds / 60)), tx);
  await recordEvent({ userId, kind: "wasnt-me", client, now }, tx);
}

async function finished(userId: string, now: Date): Promise<WasntMeOutcome> {
  wakeMailSender();
  logEvent("wasnt-me", { userId });
  await purgeEndedSessions(now);
  return { ok: true, userId };
}

/**
 * With the token from a new-sign-in mail. Spent inside the transaction: of several uses at once exactly one acts,
 * and a failure leaves the token working.
 */
export async function reportWasntMe(token: unknown, client: EventClient, now = new Date()): Promise<WasntMeOutcome> {
  const userId = await db.$transaction(async (tx) => {
    // The spend holds the account's row first.
    const grant = await spendOneTimeToken(tx, token, ["wasnt-me"], now);
    if (!grant) return null;
    await lockOut(tx, grant.userId, client, now);
    return grant.userId;
  });
  return userId === null ? { ok: false, reason: "invalid-link" } : finished(userId, now);
}

/** From the owner's own session: the same, for the account signed in. */
export async function reportWasntMeSignedIn(userId: string, client: EventClient, now = new Date()): Promise<WasntMeOutcome> {
  await db.$transaction(async (tx) => {
    await holdUserRow(tx, userId);
    await lockOut(tx, userId, client, now);
  });
  return finished(userId, now);
}
