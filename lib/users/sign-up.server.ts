import "server-only";
// Creating an account: limited per client address (each sign-up costs a password hash that every other
// sign-in waits behind), then the user and their first session together.
import { abuseLimits } from "../config";
import { logEvent } from "../log.server";
import type { ClientInfo } from "../sessions/store.server";
import type { Throttled } from "./sign-in.server";
import { addressKey, countAttempt } from "../limits/throttle.server";
import { createUserWithSession, EmailTakenError, type User } from "./store.server";

export type SignUpOutcome =
  | { ok: true; user: User; session: { id: string; createdAt: Date } }
  | { ok: false; reason: "taken"; message: string }
  | Throttled;

/**
 * Signs up an email and password, already checked and normalized (lib/users/credentials.ts). Every attempt that gets
 * as far as the hash counts, a taken email included. Throws PasswordHasherBusyError, or a database error when
 * nothing was saved.
 */
export async function attemptSignUp(
  email: string,
  password: string,
  client: ClientInfo & { address: string | null },
): Promise<SignUpOutcome> {
  const limits = abuseLimits();
  if (client.address) {
    const rule = { scope: "sign-up", max: limits.signUpsPerAddress, windowSeconds: limits.signUpWindowSeconds };
    const retryAfterSeconds = await countAttempt([addressKey(rule, client.address)]);
    if (retryAfterSeconds > 0) {
      logEvent("sign-up.throttled", { address: client.address, retryAfterSeconds });
      return { ok: false, reason: "throttled", retryAfterSeconds };
    }
  }
  try {
    const { user, session } = await createUserWithSession(email, password, client);
    logEvent("sign-up", { userId: user.id, address: client.address });
    return { ok: true, user, session };
  } catch (error) {
    if (error instanceof EmailTakenError) return { ok: false, reason: "taken", message: error.message };
    throw error;
  }
}
