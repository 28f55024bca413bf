import "server-only";
// One sign-in attempt, the same for the browser form and the Bearer token endpoint: throttle first, then the
// password check, then the bookkeeping and the log line.
import { logEvent } from "./log.server";
import { clearAccountFailures, recordSignInFailure, signInRetryAfter } from "./throttle.server";
import { authenticate, type User } from "./users.server";

export type SignInOutcome =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Checks an email (normalized) and password from a client address. Unknown emails are counted and throttled
 * exactly like real accounts, so neither answer tells whether an account exists.
 */
export async function attemptSignIn(email: string, password: string, address: string | null): Promise<SignInOutcome> {
  const subject = { email, address };
  const retryAfterSeconds = await signInRetryAfter(subject);
  if (retryAfterSeconds > 0) {
    logEvent("sign-in.throttled", { address, retryAfterSeconds });
    return { ok: false, reason: "throttled", retryAfterSeconds };
  }
  const user = await authenticate(email, password);
  if (!user) {
    await recordSignInFailure(subject);
    logEvent("sign-in.failed", { address });
    return { ok: false, reason: "invalid" };
  }
  await clearAccountFailures(email);
  logEvent("sign-in.succeeded", { userId: user.id, address });
  return { ok: true, user };
}

/** "Too many attempts. Try again in 4 minutes." */
export function throttledMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
