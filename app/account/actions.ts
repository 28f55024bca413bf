"use server";
// What a signed-in person does to their own account: end sessions, change the password or the email, confirm the
// email, delete the account.
// Each action asks the data access layer who is signed in first; a dead cookie is sent to sign in. Changing the
// password or email and deleting the account also need an authentication within the step-up window.
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect, unstable_rethrow } from "next/navigation";
import {
  deleteSessionCookie,
  requireRecentAuthentication,
  requireSession,
  requireUser,
} from "@/lib/sessions/data-access.server";
import { clientAddress, clientInfoFrom } from "@/lib/http/client-info";
import { passwordPolicy } from "@/lib/config";
import { checkEmail } from "@/lib/users/credentials";
import { vetNewPassword } from "@/lib/users/new-password.server";
import { requestEmailChange } from "@/lib/recovery/email-change.server";
import { resendConfirmation } from "@/lib/recovery/email-confirmation.server";
import { mailSetPasswordLink } from "@/lib/recovery/password-reset.server";
import { isRecordId } from "@/lib/db/record-id";
import { ACCOUNT_PATH, CHANGE_EMAIL_PATH, CHANGE_PASSWORD_PATH, DELETE_ACCOUNT_PATH, HOME_PATH, SESSIONS_PATH } from "@/lib/routes";
import { endSession, endSessionsOf } from "@/lib/sessions/store.server";
import { throttledMessage } from "@/lib/sign-in/messages";
import { changePassword as storeNewPassword, deleteUser } from "@/lib/users/store.server";
import { failureMessage, field } from "../_lib/form-data";
import type { FormState } from "../_lib/form-state";
import { checkCurrentPassword, confirmCurrentPassword } from "./current-password";

/** Ends one of the person's sessions. The id is posted by the client: anything but an id is an unknown id. */
export async function endOneSession(sessionId: unknown): Promise<void> {
  const { user, sessionId: current } = await requireSession(SESSIONS_PATH);
  if (!isRecordId(sessionId)) return revalidatePath(SESSIONS_PATH);
  await endSession(user.id, sessionId, new Date(), clientInfoFrom(await headers()));
  if (sessionId === current) {
    await deleteSessionCookie();
    redirect(HOME_PATH);
  }
  revalidatePath(SESSIONS_PATH);
}

export async function endOtherSessions(): Promise<void> {
  const { user, sessionId } = await requireSession(SESSIONS_PATH);
  await endSessionsOf(user.id, { keep: sessionId, client: clientInfoFrom(await headers()) });
  revalidatePath(SESSIONS_PATH);
}

export async function changePassword(_previous: FormState, form: FormData): Promise<FormState> {
  const { user, sessionId } = await requireRecentAuthentication(CHANGE_PASSWORD_PATH);
  try {
    const confirmation = await checkCurrentPassword(user, field(form, "currentPassword"));
    if (!confirmation.ok) return { values: {}, errors: { currentPassword: confirmation.error } };
    // Judged once the current password checked out: a wrong guess costs no request to the breached-password corpus.
    const newPassword = await vetNewPassword(field(form, "newPassword"), passwordPolicy());
    if (!newPassword.ok) return { values: {}, errors: { newPassword: newPassword.error } };
    await storeNewPassword(user.id, newPassword.value, sessionId);
  } catch (error) {
    return { values: {}, errors: {}, formError: failureMessage(error, "password change") };
  }
  return { values: {}, errors: {}, notice: "Your password was changed, and every other session was signed out." };
}

/**
 * "Mail me a link to set a password": an account made through a provider has none, and sets one through the reset
 * mail, which proves the mailbox as a password reset does. To the account's own address only, within the mail limits.
 */
export async function mailPasswordLink(_previous: FormState): Promise<FormState> {
  const user = await requireUser(CHANGE_PASSWORD_PATH);
  try {
    const retryAfterSeconds = await mailSetPasswordLink(user.email, clientAddress(await headers()));
    if (retryAfterSeconds > 0) return { values: {}, errors: {}, formError: throttledMessage(retryAfterSeconds) };
  } catch (error) {
    return { values: {}, errors: {}, formError: failureMessage(error, "password link") };
  }
  return { values: {}, errors: {}, notice: `A link to set your password is on its way to ${user.email}.` };
}

export async function deleteAccount(_previous: FormState, form: FormData): Promise<FormState> {
  const { user } = await requireRecentAuthentication(DELETE_ACCOUNT_PATH);
  try {
    const confirmation = await confirmCurrentPassword(user, field(form, "password"), DELETE_ACCOUNT_PATH);
    if (!confirmation.ok) return { values: {}, errors: { password: confirmation.error } };
    await deleteUser(user.id);
  } catch (error) {
    unstable_rethrow(error);
    return { values: {}, errors: {}, formError: failureMessage(error, "account deletion") };
  }
  await deleteSessionCookie();
  redirect(HOME_PATH);
}

export async function changeEmail(_previous: FormState, form: FormData): Promise<FormState> {
  const { user } = await requireRecentAuthentication(CHANGE_EMAIL_PATH);
  const values = { newEmail: field(form, "newEmail") };
  const newEmail = checkEmail(values.newEmail);
  try {
    const confirmation = await confirmCurrentPassword(user, field(form, "currentPassword"), CHANGE_EMAIL_PATH);
    if (!confirmation.ok) return { values, errors: { currentPassword: confirmation.error } };
    if (!newEmail.ok) return { values, errors: { newEmail: newEmail.error } };
    if (newEmail.value === user.email) return { values, errors: { newEmail: "That is already your email." } };
    const retryAfterSeconds = await requestEmailChange(user, newEmail.value, clientAddress(await headers()));
    if (retryAfterSeconds > 0) return { values, errors: {}, formError: throttledMessage(retryAfterSeconds) };
  } catch (error) {
    unstable_rethrow(error);
    return { values, errors: {}, formError: failureMessage(error, "email change") };
  }
  return {
    values: {},
    errors: {},
    notice: `A link to confirm ${newEmail.value} is on its way there. Your email changes when you open it.`,
  };
}

/** "Send the link again": a new confirmation link to the account's address. */
export async function resendConfirmationLink(_previous: FormState): Promise<FormState> {
  const user = await requireUser(ACCOUNT_PATH, { unconfirmedEmail: "allow" });
  if (user.emailVerifiedAt !== null) return { values: {}, errors: {}, notice: "Your email is already confirmed." };
  try {
    const retryAfterSeconds = await resendConfirmation(user, clientAddress(await headers()));
    if (retryAfterSeconds > 0) return { values: {}, errors: {}, formError: throttledMessage(retryAfterSeconds) };
  } catch (error) {
    return { values: {}, errors: {}, formError: failureMessage(error, "confirmation mail") };
  }
  return { values: {}, errors: {}, notice: `A new link is on its way to ${user.email}.` };
}
