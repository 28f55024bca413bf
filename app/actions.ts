"use server";
// Sign-up, sign-in and sign-out. Thin on purpose: read the form, ask lib/, answer with form state or a redirect.
import { redirect } from "next/navigation";
import { after } from "next/server";
import { endCurrentSession, setSessionCookie, startSession } from "@/lib/sessions/data-access.server";
import { PasswordChangedError } from "@/lib/sessions/store.server";
import { passwordPolicy } from "@/lib/config";
import { checkEmail } from "@/lib/users/credentials";
import { vetNewPassword } from "@/lib/users/new-password.server";
import { ACCOUNT_PATH, HOME_PATH, safeReturnPath, signInPathFor, VERIFY_SIGN_IN_PATH } from "@/lib/routes";
import { headers } from "next/headers";
import { clientInfoFrom } from "@/lib/http/client-info";
import { SIGN_IN_MESSAGES, throttledMessage } from "@/lib/sign-in/messages";
import { signIn as signInWith } from "@/lib/sign-in/sign-in.server";
import { attemptSignUp } from "@/lib/users/sign-up.server";
import { startPendingSignIn } from "@/lib/factors/pending-sign-ins.server";
import { setPendingSignInCookie } from "@/lib/factors/pending-cookie.server";
import { failureMessage, field, UNAVAILABLE } from "./_lib/form-data";
import type { FormState } from "./_lib/form-state";

export async function signUp(_previous: FormState, form: FormData): Promise<FormState> {
  const values = { email: field(form, "email") };
  const email = checkEmail(values.email);
  const password = await vetNewPassword(field(form, "password"), passwordPolicy());
  if (!email.ok || !password.ok) {
    return {
      values,
      errors: { email: email.ok ? undefined : email.error, password: password.ok ? undefined : password.error },
    };
  }
  try {
    const outcome = await attemptSignUp(email.value, password.value, clientInfoFrom(await headers()));
    if (!outcome.ok) {
      if (outcome.reason === "taken") return { values, errors: { email: outcome.message } };
      return { values, errors: {}, formError: throttledMessage(outcome.retryAfterSeconds) };
    }
    await setSessionCookie(outcome.user, outcome.session);
  } catch (error) {
    return { values, errors: {}, formError: failureMessage(error, "sign-up") };
  }
  redirect(ACCOUNT_PATH);
}

export async function signIn(_previous: FormState, form: FormData): Promise<FormState> {
  const values = { email: field(form, "email") };
  const email = checkEmail(values.email);
  if (!email.ok) return { values, errors: { email: email.error } };
  const rawPassword = field(form, "password");
  if (rawPassword === "") return { values, errors: { password: SIGN_IN_MESSAGES.passwordMissing } };
  const returnTo = safeReturnPath(field(form, "next"));
  let awaitingCode = false;
  try {
    const requestHeaders = await headers();
    const factor = { kind: "password", email: email.value, password: rawPassword } as const;
    const { address, userAgent } = clientInfoFrom(requestHeaders);
    const answer = await signInWith({ factor, address, userAgent, afterResponse: after });
    if (answer.outcome === "refused") {
      const formError = answer.reason === "throttled" ? throttledMessage(answer.retryAfterSeconds) : SIGN_IN_MESSAGES.invalidCredentials;
      return { values, errors: {}, formError };
    }
    // No session yet for a second factor: a pending sign-in, and the code page.
    awaitingCode = answer.outcome === "second-factor";
    if (answer.outcome === "second-factor") {
      const { token } = await startPendingSignIn(answer.user, returnTo, clientInfoFrom(requestHeaders), new Date(), answer.method);
      await setPendingSignInCookie(token);
    } else {
      await startSession(answer.user, answer.method);
    }
  } catch (error) {
    // The password was changed or reset while this sign-in was checking it: it is not the password any more.
    if (error instanceof PasswordChangedError) return { values, errors: {}, formError: SIGN_IN_MESSAGES.invalidCredentials };
    return { values, errors: {}, formError: failureMessage(error, "sign-in") };
  }
  redirect(awaitingCode ? VERIFY_SIGN_IN_PATH : returnTo);
}

export async function signOut(): Promise<void> {
  let ended: boolean;
  try {
    ended = await endCurrentSession();
  } catch (error) {
    // Without the session ended the token would live on: do not pretend the sign-out happened.
    console.error("sign-out failed", error);
    throw new Error(UNAVAILABLE);
  }
  // A dead cookie (signed out elsewhere, or replayed) gets what every protected route gives it.
  redirect(ended ? HOME_PATH : signInPathFor(ACCOUNT_PATH));
}
