"use server";
// Sign-up, sign-in and sign-out. Thin on purpose: read the form, ask lib/, answer with form state or a redirect.
import { redirect } from "next/navigation";
import { endSession, startSession } from "@/lib/auth.server";
import { passwordPolicy } from "@/lib/config";
import { checkEmail, checkNewPassword, normalizeSignInPassword } from "@/lib/credentials";
import { ACCOUNT_PATH, HOME_PATH, safeReturnPath, signInPathFor } from "@/lib/routes";
import { authenticate, createUser, EmailTakenError } from "@/lib/users.server";
import type { AuthFormState } from "./_components/auth-form-state";

const INVALID_CREDENTIALS = "Invalid email or password.";
const UNAVAILABLE = "We could not reach the database, so nothing was saved. Please try again in a moment.";

/** Form fields as strings; a missing field or a file upload in its place reads as empty. */
function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

export async function signUp(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const rawEmail = field(form, "email");
  const email = checkEmail(rawEmail);
  const password = checkNewPassword(field(form, "password"), passwordPolicy());
  if (!email.ok || !password.ok) {
    return {
      email: rawEmail,
      errors: { email: email.ok ? undefined : email.error, password: password.ok ? undefined : password.error },
    };
  }
  try {
    const user = await createUser(email.value, password.value);
    await startSession(user.id);
  } catch (error) {
    if (error instanceof EmailTakenError) return { email: rawEmail, errors: { email: error.message } };
    console.error("sign-up failed", error);
    return { email: rawEmail, errors: { form: UNAVAILABLE } };
  }
  redirect(ACCOUNT_PATH);
}

export async function signIn(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const rawEmail = field(form, "email");
  const email = checkEmail(rawEmail);
  if (!email.ok) return { email: rawEmail, errors: { email: email.error } };
  const rawPassword = field(form, "password");
  if (rawPassword === "") return { email: rawEmail, errors: { password: "Enter your password." } };
  const password = normalizeSignInPassword(rawPassword, passwordPolicy());
  if (password === null) return { email: rawEmail, errors: { form: INVALID_CREDENTIALS } };
  try {
    const user = await authenticate(email.value, password);
    if (!user) return { email: rawEmail, errors: { form: INVALID_CREDENTIALS } };
    await startSession(user.id);
  } catch (error) {
    console.error("sign-in failed", error);
    return { email: rawEmail, errors: { form: UNAVAILABLE } };
  }
  redirect(safeReturnPath(field(form, "next")));
}

export async function signOut(): Promise<void> {
  let ended: boolean;
  try {
    ended = await endSession();
  } catch (error) {
    // Without the denylist row the token would live on: do not pretend the sign-out happened.
    console.error("sign-out failed", error);
    throw new Error(UNAVAILABLE);
  }
  // A dead cookie (signed out elsewhere, or replayed) gets what every protected route gives it.
  redirect(ended ? HOME_PATH : signInPathFor(ACCOUNT_PATH));
}
