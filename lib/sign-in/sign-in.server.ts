import "server-only";
// The one way in. A first factor (a password, a passkey, or an identity a provider vouched for) is checked once, by
// its own verifier (a password through the throttle, the hash queue and the log; a provider's answer by
// lib/providers/ before it gets here), and the answer says what the caller may do: open a session, ask for the
// second factor, or refuse. Callers (the browser's actions, the provider callback, the API's token endpoint) only
// translate it.
import { passwordPolicy } from "../config";
import { hasTotp } from "../factors/totp.server";
import { runDetached, type AfterResponse } from "../http/after-response";
import { verifySignIn } from "../passkeys/authentication.server";
import { PasskeyError } from "../passkeys/errors";
import { providerMethod, type FirstFactorMethod, type SignInMethod } from "../tokens/sign-in-methods";
import { findLinkedAccount, signUpWithIdentity, touchLink } from "../providers/accounts.server";
import type { ProviderIdentity } from "../providers/identity";
import { logEvent } from "../log.server";
import { ipPrefix } from "../http/client-info";
import { isUniqueViolation } from "../db/db.server";
import { notePasswordIfBreached } from "../users/breach-notice.server";
import { normalizeSignInPassword } from "../users/credentials";
import { attemptSignIn } from "../users/sign-in.server";
import type { User } from "../users/store.server";

/** What the person proved first. Another sign-in method adds a member here and its verifier below. */
export type FirstFactor =
  | { kind: "password"; email: string; password: string }
  /** The browser's answer to a passkey challenge (WebAuthn), as it came. */
  | { kind: "passkey"; response: unknown }
  /** Who a provider says signed in, its answer already verified (lib/providers/flow.server.ts). */
  | { kind: "provider"; identity: ProviderIdentity };

/**
 * Who signed in. After a password, also the hash it was checked against: whatever the caller opens (a session, an
 * API session, a pending sign-in) opens only while that is still the password (PasswordChangedError otherwise).
 */
type SignedIn = Pick<User, "id" | "role"> & { passwordHash?: string };

export type SignInAnswer =
  /** Verified, and nothing more is asked: open a session recording `method`. */
  | { outcome: "session"; user: SignedIn; method: SignInMethod }
  /** Verified, but the account has an authenticator app: no session until its code. */
  | { outcome: "second-factor"; user: SignedIn; method: FirstFactorMethod }
  | { outcome: "refused"; reason: "invalid" }
  | { outcome: "refused"; reason: "throttled"; retryAfterSeconds: number }
  /** The passkey's answer did not verify: `error.userMessage` says why, in a person's words. */
  | { outcome: "refused"; reason: "passkey"; error: PasskeyError }
  /**
   * A provider identity connected to no account: `email-taken` (an account has its email: never linked by email),
   * `confirm-email` (a new account made unconfirmed, its mail sent), `no-email` (nothing to make one with). Also
   * `confirm-email` for a connected account whose email is unconfirmed and that the connection never proved.
   */
  | { outcome: "refused"; reason: "email-taken" | "confirm-email" | "no-email" };

interface SignInRequest<Factor extends FirstFactor> {
  factor: Factor;
  address: string | null;
  /** The client's User-Agent (shortened), for the account's activity. */
  userAgent?: string | null;
  afterResponse?: AfterResponse;
}

/** A passkey is never throttled by password and needs no second factor: its answer is a session or its failure. */
export type PasskeySignInAnswer = Extract<SignInAnswer, { outcome: "session" } | { reason: "passkey" }>;

/** A provider's identity is never throttled by password and never a passkey. */
export type ProviderSignInAnswer = Extract<SignInAnswer, { outcome: "session" | "second-factor" } | { reason: "email-taken" | "confirm-email" | "no-email" }>;

/**
 * Checks a first factor from a client address (null when unknown). A password's `email` is already normalized;
 * a verified password is then looked up among breached ones in `afterResponse` (detached unless given), never
 * before the answer. Throws PasswordHasherBusyError when the hash queue is full.
 */
export function signIn(request: SignInRequest<Extract<FirstFactor, { kind: "passkey" }>>): Promise<PasskeySignInAnswer>;
export function signIn(request: SignInRequest<Extract<FirstFactor, { kind: "provider" }>>): Promise<ProviderSignInAnswer>;
export function signIn(request: SignInRequest<FirstFactor>): Promise<SignInAnswer>;
export function signIn({ factor, address, userAgent = null, afterResponse = runDetached }: SignInRequest<FirstFactor>): Promise<SignInAnswer> {
  if (factor.kind === "passkey") return signInWithPasskey(factor.response, address);
  if (factor.kind === "provider") return signInWithProvider(factor.identity, address, userAgent);
  return signInWithPassword(factor, address, userAgent, afterResponse);
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
    await notePasswordIfBreached(user, password).catch((error: unknown) => console.error("breached-password check at sign-in failed", error));
  });
  const method = "password";
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

/**
 * An identity a provider vouched for: the account connected to it, as for a password (a session, or the second
 * factor when the account has an authenticator app: a provider is one factor); or, connected to none, a new account
 * or a refusal (lib/providers/accounts.server.ts: never linked by email).
 */
async function signInWithProvider(identity: ProviderIdentity, address: string | null, userAgent: string | null, retried = false): Promise<ProviderSignInAnswer> {
  const method = providerMethod(identity.provider);
  const linked = await findLinkedAccount(identity);
  if (!linked) {
    let created;
    try {
      created = await signUpWithIdentity(identity, { userAgent, ipPrefix: ipPrefix(address) });
    } catch (error) {
      // The same identity connected by a callback racing this one: it is connected now, so sign in to it.
      if (isUniqueViolation(error) && !retried) return signInWithProvider(identity, address, userAgent, true);
      throw error;
    }
    if (created.outcome !== "created") return { outcome: "refused", reason: created.outcome };
    logEvent("provider.sign-in", { userId: created.user.id, provider: identity.provider, address });
    return { outcome: "session", user: created.user, method };
  }
  const { user } = linked;
  // Made through a provider that did not vouch for the email, and the mailed link not opened yet.
  if (user.emailVerifiedAt === null && !linked.mailboxProven) return { outcome: "refused", reason: "confirm-email" };
  await touchLink(linked.linkId);
  logEvent("provider.sign-in", { userId: user.id, provider: identity.provider, address });
  if (await hasTotp(user.id)) return { outcome: "second-factor", user, method };
  return { outcome: "session", user, method };
}
