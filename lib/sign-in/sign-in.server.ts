import "server-only";
// The one way in. A first factor (a password or a passkey) is checked once, by its own verifier (a password through
// the throttle, the hash queue and the log), and the answer says what the caller may do: open a session, ask for
// the second factor, or refuse. Callers (the browser's actions, the API's token endpoint) only translate it.
import { passwordPolicy } from "../config";
import { hasTotp } from "../factors/totp.server";
import { runDetached, type AfterResponse } from "../http/after-response";
import { verifySignIn } from "../passkeys/authentication.server";
import { PasskeyError } from "../passkeys/errors";
import type { SignInMethod } from "../tokens/sign-in-methods";
import { notePasswordIfBreached } from "../users/breach-notice.server";
import { normalizeSignInPassword } from "../users/credentials";
import { attemptSignIn } from "../users/sign-in.server";
import type { User } from "../users/store.server";

/** What the person proved first. Another sign-in method adds a member here and its verifier below. */
export type FirstFactor =
  | { kind: "password"; email: string; password: string }
  /** The browser's answer to a passkey challenge (WebAuthn), as it came. */
  | { kind: "passkey"; response: unknown };

type SignedIn = Pick<User, "id" | "role">;

export type SignInAnswer =
  /** Verified, and nothing more is asked: open a session recording `method`. */
  | { outcome: "session"; user: SignedIn; method: SignInMethod }
  /** Verified, but the account has an authenticator app: no session until its code. */
  | { outcome: "second-factor"; user: SignedIn; method: SignInMethod }
  | { outcome: "refused"; reason: "invalid" }
  | { outcome: "refused"; reason: "throttled"; retryAfterSeconds: number }
  /** The passkey's answer did not verify: `error.userMessage` says why, in a person's words. */
  | { outcome: "refused"; reason: "passkey"; error: PasskeyError };

interface SignInRequest<Factor extends FirstFactor> {
  factor: Factor;
  address: string | null;
  /** The client's User-Agent (shortened), for the account's activity. */
  userAgent?: string | null;
  afterResponse?: AfterResponse;
}

/** A passkey is never throttled by password and needs no second factor: its answer is a session or its failure. */
export type PasskeySignInAnswer = Extract<SignInAnswer, { outcome: "session" } | { reason: "passkey" }>;

/**
 * Checks a first factor from a client address (null when unknown). A password's `email` is already normalized;
 * a verified password is then looked up among breached ones in `afterResponse` (detached unless given), never
 * before the answer. Throws PasswordHasherBusyError when the hash queue is full.
 */
export function signIn(request: SignInRequest<Extract<FirstFactor, { kind: "passkey" }>>): Promise<PasskeySignInAnswer>;
export function signIn(request: SignInRequest<FirstFactor>): Promise<SignInAnswer>;
export function signIn({ factor, address, userAgent = null, afterResponse = runDetached }: SignInRequest<FirstFactor>): Promise<SignInAnswer> {
  return factor.kind === "passkey" ? signInWithPasskey(factor.response, address) : signInWithPassword(factor, address, userAgent, afterResponse);
}

async function signInWithPassword(
  factor: Extract<FirstFactor, { kind: "password" }>,
  address: string | null,
  userAgent: string | null,
  afterResponse: AfterResponse,
): Promise<SignInAnswer> {
  // A password no policy would accept is refused before it is counted or hashed.
  const password = normalizeSignInPassword(factor.password, passwordPolicy());
  if (password === null) return { outcome: "refused", reason: "invalid" };
  const attempt = await attemptSignIn(factor.email, password, address, { userAgent, afterResponse });
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
  if (await hasTotp(user.id)) return { outcome: "second-factor", user, method };
  return { outcome: "session", user, method };
}

/** A passkey is possession and a verified user at once: it opens a session without a second factor. */
async function signInWithPasskey(response: unknown, address: string | null): Promise<PasskeySignInAnswer> {
  try {
    const use = await verifySignIn(response, { address });
    return { outcome: "session", user: use.user, method: use.method };
  } catch (error) {
    if (error instanceof PasskeyError) return { outcome: "refused", reason: "passkey", error };
    throw error;
  }
}
