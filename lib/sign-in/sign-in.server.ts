import "server-only";
// The one way in. A first factor (a password today) goes through the throttle, the hash queue and the log once,
// and the answer says what the caller may do: open a session, ask for the second factor, or refuse. Callers (the
// browser's actions, the API's token endpoint) only translate the answer into a redirect or JSON.
import { passwordPolicy } from "../config";
import { hasTotp } from "../factors/totp.server";
import { runDetached, type AfterResponse } from "../http/after-response";
import type { SignInMethod } from "../tokens/sign-in-methods";
import { notePasswordIfBreached } from "../users/breach-notice.server";
import { normalizeSignInPassword } from "../users/credentials";
import { attemptSignIn } from "../users/sign-in.server";
import type { User } from "../users/store.server";

/** What the person proved first. Another sign-in method adds a member here and a file beside this one. */
export type FirstFactor = { kind: "password"; email: string; password: string };

export type SignInAnswer =
  /** Verified, and nothing more is asked: open a session recording `method`. */
  | { outcome: "session"; user: User; method: SignInMethod }
  /** Verified, but the account has an authenticator app: no session until its code. */
  | { outcome: "second-factor"; user: User; method: SignInMethod }
  | { outcome: "refused"; reason: "invalid" }
  | { outcome: "refused"; reason: "throttled"; retryAfterSeconds: number };

/**
 * Checks a first factor from a client address (null when unknown). `email` is already normalized. A verified
 * password is then looked up among breached ones in `afterResponse` (detached unless given), never before the
 * answer. Throws PasswordHasherBusyError when the hash queue is full.
 */
export async function signIn({
  factor,
  address,
  afterResponse = runDetached,
}: {
  factor: FirstFactor;
  address: string | null;
  afterResponse?: AfterResponse;
}): Promise<SignInAnswer> {
  // A password no policy would accept is refused before it is counted or hashed.
  const password = normalizeSignInPassword(factor.password, passwordPolicy());
  if (password === null) return { outcome: "refused", reason: "invalid" };
  const attempt = await attemptSignIn(factor.email, password, address);
  if (!attempt.ok && attempt.reason === "throttled") {
    return { outcome: "refused", reason: "throttled", retryAfterSeconds: attempt.retryAfterSeconds };
  }
  if (!attempt.ok) return { outcome: "refused", reason: "invalid" };
  const { user } = attempt;
  afterResponse(async () => {
    // The sign-in has succeeded whatever happens here: a failure is logged, not passed on.
    await notePasswordIfBreached(user.id, password).catch((error: unknown) => console.error("breached-password check at sign-in failed", error));
  });
  const method: SignInMethod = "password";
  if (await hasTotp(attempt.user.id)) return { outcome: "second-factor", user: attempt.user, method };
  return { outcome: "session", user: attempt.user, method };
}
