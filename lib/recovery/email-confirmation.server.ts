import "server-only";
// Proving that a person reads mail at their address: a link mailed at sign-up (and again on request), and the
// link that confirms a new address before an email change takes effect. Opening the link shows a button; only
// its POST spends the token (a mail scanner's GET changes nothing).
import { recoveryConfig } from "../config";
import type { Database } from "../db/client.server";
import { db, isUniqueViolation } from "../db/db.server";
import { logEvent } from "../log.server";
import { countMailRequest } from "../limits/mail-requests.server";
import { appLink } from "../mail/links";
import { enqueueMail } from "../mail/outbox.server";
import { wakeMailSender } from "../mail/sender.server";
import { emailConfirmationMail } from "../mail/templates";
import { VERIFY_EMAIL_PATH } from "../routes";
import { purgeEndedSessions, revokeSessions } from "../sessions/store.server";
import { issueOneTimeToken, revokeOneTimeTokens, spendOneTimeToken } from "../tokens/one-time-tokens.server";
import { requestClient } from "../activity/client.server";
import { recordEvent } from "../activity/record.server";

type Queries = Pick<Database, "oneTimeToken" | "outboxMail">;

/**
 * The two statements that mail a confirmation link to the account's address: its token and its mail. Not run
 * here: sign-up puts them in the transaction that creates the account.
 */
export function confirmationMailStatements(user: { id: string; email: string }, now = new Date(), queries: Queries = db) {
  const ttlSeconds = recoveryConfig().emailConfirmationTtlSeconds;
  const { token, insert } = issueOneTimeToken({ purpose: "email-confirmation", ...idAndEmail(user) }, ttlSeconds, now, queries);
  const mail = emailConfirmationMail(user.email, appLink(VERIFY_EMAIL_PATH, { token }), Math.round(ttlSeconds / 3600));
  return [insert, enqueueMail(mail, queries)] as const;
}

const idAndEmail = (user: { id: string; email: string }) => ({ userId: user.id, email: user.email });

/** "Send the link again": limited like every mail a request can cause. Returns the seconds to wait, or 0. */
export async function resendConfirmation(user: { id: string; email: string }, address: string | null): Promise<number> {
  const retryAfterSeconds = await countMailRequest(user.email, address);
  if (retryAfterSeconds > 0) return retryAfterSeconds;
  await db.$transaction([...confirmationMailStatements(user)]);
  wakeMailSender();
  logEvent("email-confirmation.sent", { userId: user.id, address });
  return 0;
}

export type ConfirmOutcome =
  | { ok: true; change: boolean; userId: string }
  | { ok: false; reason: "invalid-link" | "taken" };

/**
 * Spends a confirmation or email-change token. A confirmation marks the address confirmed, if it is still the
 * account's. A change makes the new address the account's, confirmed, and ends every other session (the one
 * in `keepSessionId`, when it is the same person's, stays) and every link mailed to the old address.
 */
export async function confirmEmail(token: string, keepSessionId: string | null, now = new Date()): Promise<ConfirmOutcome> {
  let outcome: ConfirmOutcome;
  const client = await requestClient();
  try {
    outcome = await db.$transaction(async (tx): Promise<ConfirmOutcome> => {
      const grant = await spendOneTimeToken(tx, token, ["email-confirmation", "email-change"], now);
      if (!grant) return { ok: false, reason: "invalid-link" };
      if (grant.purpose === "email-confirmation") {
        const { count } = await tx.user.updateMany({ where: idOf(grant), data: { emailVerifiedAt: now } });
        if (count === 1) await recordEvent({ userId: grant.userId, kind: "email-confirmed", client, now }, tx);
        return count === 1 ? { ok: true, change: false, userId: grant.userId } : { ok: false, reason: "invalid-link" };
      }
      await tx.user.update({ where: { id: grant.userId }, data: { email: grant.email, emailVerifiedAt: now } });
      await revokeSessions({ userId: grant.userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) }, now, tx);
      await revokeOneTimeTokens(grant.userId, ["password-reset", "email-confirmation", "email-change", "wasnt-me"], now, tx);
      await recordEvent({ userId: grant.userId, kind: "email-changed", client, now }, tx);
      return { ok: true, change: true, userId: grant.userId };
    });
  } catch (error) {
    // Another account took the address after the link was sent: nothing changed, the token is still unspent.
    if (isUniqueViolation(error)) return { ok: false, reason: "taken" };
    throw error;
  }
  if (outcome.ok) {
    logEvent(outcome.change ? "email.changed" : "email.confirmed", { userId: outcome.userId });
    if (outcome.change) await purgeEndedSessions(now);
  }
  return outcome;
}

/** A confirmation is for the account as long as its address is still the one the link went to. */
const idOf = (grant: { userId: string; email: string }) => ({ id: grant.userId, email: grant.email });
