"use server";
import { redirect } from "next/navigation";
import { passwordPolicy } from "@/lib/config";
import { resetPassword } from "@/lib/recovery/password-reset.server";
import { RESET_PASSWORD_PATH, signInWithNotice } from "@/lib/routes";
import { deleteSessionCookie } from "@/lib/sessions/data-access.server";
import { vetNewPassword } from "@/lib/users/new-password.server";
import { failureMessage, field } from "../_lib/form-data";
import type { FormState } from "../_lib/form-state";
import { forgetLinkToken, readLinkToken } from "../_lib/link-token";

export async function setNewPassword(_previous: FormState, form: FormData): Promise<FormState> {
  const token = await readLinkToken(RESET_PASSWORD_PATH);
  // A bad password is said before the token is touched: the link still works for the next try.
  const password = await vetNewPassword(field(form, "newPassword"), passwordPolicy());
  if (!password.ok) return { values: {}, errors: { newPassword: password.error } };
  let outcome;
  try {
    outcome = token === null ? null : await resetPassword(token, password.value);
  } catch (error) {
    return { values: {}, errors: {}, formError: failureMessage(error, "password reset") };
  }
  // Spent meanwhile (another tab, another request): the page now says so.
  if (!outcome?.ok) redirect(RESET_PASSWORD_PATH);
  await forgetLinkToken(RESET_PASSWORD_PATH);
  // Every session ended, this browser's too; per OWASP, no automatic sign-in: the person signs in anew.
  await deleteSessionCookie();
  redirect(signInWithNotice("password-changed"));
}
