import "server-only";
// The current password, asked again before a sensitive change (the email, deleting the account, turning the
// authenticator app off). An account made through a provider has none to type: its step-up (a fresh sign-in at the
// provider, a passkey or a code) is what it confirms with, so that is required instead of a form it cannot pass.
import { headers } from "next/headers";
import { passwordPolicy } from "@/lib/config";
import { clientAddress } from "@/lib/http/client-info";
import { requireRecentAuthentication, type CurrentUser } from "@/lib/sessions/data-access.server";
import { SIGN_IN_MESSAGES, throttledMessage } from "@/lib/sign-in/messages";
import { normalizeSignInPassword } from "@/lib/users/credentials";
import { attemptPasswordConfirmation } from "@/lib/users/sign-in.server";
import { hasPassword } from "@/lib/users/store.server";

const WRONG_PASSWORD = SIGN_IN_MESSAGES.wrongCurrentPassword;

export type Confirmation = { ok: true } | { ok: false; error: string };

/**
 * Is this the signed-in person's password? Throttled like sign-in; too long to be anyone's is simply wrong. With no
 * password on the account, a recent authentication stands in (else /account/confirm, then back to `returnTo`).
 * Throws PasswordHasherBusyError, or a database error (both functions).
 */
export async function confirmCurrentPassword(user: CurrentUser, raw: string, returnTo: string): Promise<Confirmation> {
  if (!(await hasPassword(user.id))) {
    await requireRecentAuthentication(returnTo);
    return { ok: true };
  }
  return checkCurrentPassword(user, raw);
}

/**
 * The password alone, nothing standing in for it: a password change. An account with none is refused as a wrong
 * password would be (checked against the dummy hash); it sets one through the reset mail.
 */
export async function checkCurrentPassword(user: CurrentUser, raw: string): Promise<Confirmation> {
  const password = normalizeSignInPassword(raw, passwordPolicy());
  if (password === null) return { ok: false, error: WRONG_PASSWORD };
  const outcome = await attemptPasswordConfirmation(user, password, clientAddress(await headers()));
  if (outcome.ok) return outcome;
  return { ok: false, error: outcome.reason === "throttled" ? throttledMessage(outcome.retryAfterSeconds) : WRONG_PASSWORD };
}
