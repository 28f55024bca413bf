import "server-only";
// Every check of a password a person types, throttled the same way: a sign-in (the browser form and the Bearer
// token endpoint alike) and a confirmation of the current password before a sensitive change. The attempt is
// counted before the hash, then the password is checked, then the bookkeeping and the log line.
import { abuseLimits } from "../config";
import { recordSignInRefusal } from "../activity/record.server";
import { runDetached, type AfterResponse } from "../http/after-response";
import { ipPrefix } from "../http/client-info";
import { logEvent } from "../log.server";
import { addressKey, countAttempt, settleAttempts, throttleKey, type ThrottleKey } from "../limits/throttle.server";
import { authenticate, confirmPassword, type AuthenticatedUser, type User } from "./store.server";

export type Throttled = { ok: false; reason: "throttled"; retryAfterSeconds: number };

export type SignInOutcome = { ok: true; user: AuthenticatedUser } | { ok: false; reason: "invalid" } | Throttled;

/** Per account (any email, known or not) and per client address, within one window. */
function signInKeys(email: string, address: string | null): { account: ThrottleKey; byAddress: ThrottleKey | null } {
  const limits = abuseLimits();
  const windowSeconds = limits.signInWindowSeconds;
  return {
    account: throttleKey({ scope: "account", max: limits.signInsPerAccount, windowSeconds }, email),
    byAddress: address ? addressKey({ scope: "address", max: limits.signInsPerAddress, windowSeconds }, address) : null,
  };
}

export interface AttemptContext {
  userAgent?: string | null;
  /** Where the refusal is written to the account's activity: after the answer (detached unless given). */
  afterResponse?: AfterResponse;
}

/**
 * A refused attempt goes on the activity of the account that has this email, if one does, once the answer has
 * gone: the lookup and the write must not make a real account's refusal slower than an unknown email's.
 */
function noteRefusal(kind: "sign-in-failed" | "sign-in-throttled", email: string, address: string | null, context: AttemptContext) {
  const client = { userAgent: context.userAgent ?? null, ipPrefix: ipPrefix(address) };
  (context.afterResponse ?? runDetached)(() => recordSignInRefusal(kind, email, client));
}

/**
 * Checks an email (normalized) and password from a client address. Unknown emails are counted and throttled
 * exactly like real accounts, so neither answer tells whether an account exists. Throws PasswordHasherBusyError.
 */
export async function attemptSignIn(
  email: string,
  password: string,
  address: string | null,
  context: AttemptContext = {},
): Promise<SignInOutcome> {
  const { account, byAddress } = signInKeys(email, address);
  const retryAfterSeconds = await countAttempt(byAddress ? [account, byAddress] : [account]);
  if (retryAfterSeconds > 0) {
    logEvent("sign-in.throttled", { address, retryAfterSeconds });
    noteRefusal("sign-in-throttled", email, address, context);
    return { ok: false, reason: "throttled", retryAfterSeconds };
  }
  const user = await authenticate(email, password);
  if (!user) {
    logEvent("sign-in.failed", { address });
    noteRefusal("sign-in-failed", email, address, context);
    return { ok: false, reason: "invalid" };
  }
  // The owner's success clears the account's count; the address keeps only its failures (one success does not
  // excuse a spray, and an office behind one address is not throttled for signing in).
  await settleAttempts({ cleared: [account], uncounted: byAddress ? [byAddress] : [] });
  logEvent("sign-in.succeeded", { userId: user.id, address });
  return { ok: true, user };
}

/**
 * Is this the signed-in person's password (asked again before a password change or an account deletion)?
 * Counted against the same per-account limit as sign-in, so a stolen cookie cannot guess at hash speed.
 */
export async function attemptPasswordConfirmation(
  user: Pick<User, "id" | "email">,
  password: string,
  address: string | null,
): Promise<{ ok: true } | { ok: false; reason: "invalid" } | Throttled> {
  const { account } = signInKeys(user.email, address);
  const retryAfterSeconds = await countAttempt([account]);
  if (retryAfterSeconds > 0) {
    logEvent("password-confirmation.throttled", { userId: user.id, address, retryAfterSeconds });
    return { ok: false, reason: "throttled", retryAfterSeconds };
  }
  if (!(await confirmPassword(user.id, password))) {
    logEvent("password-confirmation.failed", { userId: user.id, address });
    return { ok: false, reason: "invalid" };
  }
  await settleAttempts({ cleared: [account] });
  return { ok: true };
}
