"use server";
// Step-up: a person whose last authentication is older than the window confirms who they are, then goes straight
// back to what they were doing. The code and passkey options have actions of their own beside this one.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { passwordPolicy } from "@/lib/config";
import { clientAddress } from "@/lib/http/client-info";
import { CONFIRM_IDENTITY_PATH, safeReturnPath, signInPathFor } from "@/lib/routes";
import { recordConfirmation, requireSession } from "@/lib/sessions/data-access.server";
import { normalizeSignInPassword } from "@/lib/users/credentials";
import { attemptPasswordConfirmation } from "@/lib/users/sign-in.server";
import { SIGN_IN_MESSAGES, throttledMessage } from "@/lib/sign-in/messages";
import { failureMessage, field } from "../../_lib/form-data";
import type { FormState } from "../../_lib/form-state";

const WRONG_PASSWORD = SIGN_IN_MESSAGES.wrongPassword;

export async function confirmWithPassword(_previous: FormState, form: FormData): Promise<FormState> {
  const session = await requireSession(CONFIRM_IDENTITY_PATH);
  const returnTo = safeReturnPath(field(form, "next"));
  let confirmed: boolean;
  const password = normalizeSignInPassword(field(form, "password"), passwordPolicy());
  if (password === null) return { values: {}, errors: { password: WRONG_PASSWORD } };
  try {
    const outcome = await attemptPasswordConfirmation(session.user, password, clientAddress(await headers()));
    if (!outcome.ok) {
      const error = outcome.reason === "throttled" ? throttledMessage(outcome.retryAfterSeconds) : WRONG_PASSWORD;
      return { values: {}, errors: { password: error } };
    }
    confirmed = await recordConfirmation(session, "password");
  } catch (error) {
    return { values: {}, errors: {}, formError: failureMessage(error, "confirmation") };
  }
  redirect(confirmed ? returnTo : signInPathFor(returnTo));
}
