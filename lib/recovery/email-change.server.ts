import "server-only";
// Changing the account's email. Nothing changes until the new address proves it reads its mail: a link goes
// there, and the old address is told, so that a stolen session cannot quietly move the account away. Confirming
// the link is lib/recovery/email-confirmation.server.ts's confirmEmail.
import { recoveryConfig } from "../config";
import { db } from "../db/db.server";
import { logEvent } from "../log.server";
import { countMailRequest } from "../limits/mail-requests.server";
import { appLink } from "../mail/links";
import { enqueueMail } from "../mail/outbox.server";
import { wakeMailSender } from "../mail/sender.server";
import { emailChangeConfirmationMail, emailChangeNoticeMail, emailInUseMail } from "../mail/templates";
import { VERIFY_EMAIL_PATH } from "../routes";
import { requestClient } from "../activity/client.server";
import { recordEvent } from "../activity/record.server";
import { issueOneTimeToken, revokeOneTimeTokens } from "../tokens/one-time-tokens.server";

/**
 * Mails a confirmation link to `newEmail` (checked and normalized) and a notice to the current address, in one
 * transaction with the link's token; earlier change links die. When another account has `newEmail`, its owner
 * is told instead and nothing else happens: the person asking sees the same answer either way. Returns the
 * seconds to wait when over the mail limit, else 0.
 */
export async function requestEmailChange(
  user: { id: string; email: string },
  newEmail: string,
  address: string | null,
  now = new Date(),
): Promise<number> {
  const retryAfterSeconds = await countMailRequest(user.email, address);
  if (retryAfterSeconds > 0) return retryAfterSeconds;
  // Recorded either way: the person asked, whether or not the address was free.
  const asked = recordEvent({ userId: user.id, kind: "email-change-requested", client: await requestClient(), now });
  if (await db.user.findUnique({ where: { email: newEmail }, select: { id: true } })) {
    await db.$transaction([enqueueMail(emailInUseMail(newEmail)), asked]);
  } else {
    const ttlSeconds = recoveryConfig().emailConfirmationTtlSeconds;
    const { token, insert } = issueOneTimeToken({ purpose: "email-change", userId: user.id, email: newEmail }, ttlSeconds, now);
    const link = appLink(VERIFY_EMAIL_PATH, { token });
    await db.$transaction([
      revokeOneTimeTokens(user.id, ["email-change"], now),
      insert,
      enqueueMail(emailChangeConfirmationMail(newEmail, link, Math.round(ttlSeconds / 3600))),
      enqueueMail(emailChangeNoticeMail(user.email, newEmail)),
      asked,
    ]);
  }
  wakeMailSender();
  logEvent("email-change.requested", { userId: user.id, address });
  return 0;
}
