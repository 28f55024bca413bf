import "server-only";
// Mail that someone can ask us to send (a reset link, a new confirmation link, an email change): limited per
// account and per client address, so that "forgot password" cannot become a mail bomb aimed at someone's inbox.
// Counted by the email as typed, known or not, so a throttled answer says nothing about which accounts exist.
import { recoveryConfig } from "../config";
import { addressKey, countAttempt, throttleKey } from "./throttle.server";

/** Counts one request for mail; returns the seconds to wait when over a limit, else 0. */
export function countMailRequest(email: string, address: string | null): Promise<number> {
  const { mailsPerAccount, mailsPerAddress, mailWindowSeconds: windowSeconds } = recoveryConfig();
  const account = throttleKey({ scope: "mail", max: mailsPerAccount, windowSeconds }, email);
  const byAddress = address ? addressKey({ scope: "mail-address", max: mailsPerAddress, windowSeconds }, address) : null;
  return countAttempt(byAddress ? [account, byAddress] : [account]);
}
