import "server-only";
// How many authenticator-app codes may be tried for one account, whatever the path (the code page after the
// password, a step-up confirmation, the API's `otp`, turning the factor on or off). Counted before each check,
// by the same atomic increment as password attempts (lib/limits/throttle.server.ts), so a burst sent at once gets
// no more checks than the limit. A code that is accepted clears the count: the limits bound consecutive failures.
//
// The numbers (NIST SP 800-63B-4 allows at most 100 consecutive failures per account): 10 per 15 minutes and 50
// per 24 hours. A six-digit code accepted within one step either side has 3 chances in 10^6 of being guessed,
// so 50 guesses a day give an attacker who already has the password about 1 chance in 6,700 a day. Each pending
// sign-in also dies after 5 wrong codes (pending-sign-ins.server.ts), and every new one costs a password attempt.
import { countAttempt, settleAttempts, throttleKey, type ThrottleRule } from "../limits/throttle.server";

export const CODE_LIMITS = {
  short: { scope: "totp", max: 10, windowSeconds: 15 * 60 },
  daily: { scope: "totp-day", max: 50, windowSeconds: 24 * 60 * 60 },
} as const satisfies Record<string, ThrottleRule>;

function keys(userId: string) {
  return [throttleKey(CODE_LIMITS.short, userId), throttleKey(CODE_LIMITS.daily, userId)];
}

/** Counts one code attempt for the account; the seconds to wait when it is over a limit, else 0. */
export function countCodeAttempt(userId: string, now = new Date()): Promise<number> {
  return countAttempt(keys(userId), now);
}

/** A code was accepted: the account's count starts over. */
export async function clearCodeAttempts(userId: string): Promise<void> {
  await settleAttempts({ cleared: keys(userId) });
}
