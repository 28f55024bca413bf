"use server";
// What a signed-in person does to their own account: end sessions, change the password, delete the account.
// Each action asks the data access layer who is signed in first; a dead cookie is sent to sign in.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { deleteSessionCookie, requireSession } from "@/lib/auth.server";
import { passwordPolicy } from "@/lib/config";
import { checkNewPassword, normalizeSignInPassword } from "@/lib/credentials";
import { HOME_PATH } from "@/lib/routes";
import { endSession, endSessionsOf } from "@/lib/sessions.server";
import { changePassword as storeNewPassword, confirmPassword, deleteUser } from "@/lib/users.server";
import { field, UNAVAILABLE } from "../_components/form-data";
import type { FormState } from "../_components/form-state";

const SESSIONS_PATH = "/account/sessions";
const WRONG_PASSWORD = "That is not your current password.";

/** Is this the signed-in person's password? Too long to be anyone's is simply wrong. */
async function isOwnPassword(userId: string, raw: string): Promise<boolean> {
  const password = normalizeSignInPassword(raw, passwordPolicy());
  return password !== null && (await confirmPassword(userId, password));
}

export async function endOneSession(sessionId: string): Promise<void> {
  const { user, sessionId: current } = await requireSession(SESSIONS_PATH);
  await endSession(user.id, sessionId);
  if (sessionId === current) {
    await deleteSessionCookie();
    redirect(HOME_PATH);
  }
  revalidatePath(SESSIONS_PATH);
}

export async function endOtherSessions(): Promise<void> {
  const { user, sessionId } = await requireSession(SESSIONS_PATH);
  await endSessionsOf(user.id, { keep: sessionId });
  revalidatePath(SESSIONS_PATH);
}

export async function changePassword(_previous: FormState, form: FormData): Promise<FormState> {
  const { user, sessionId } = await requireSession("/account/password");
  const newPassword = checkNewPassword(field(form, "newPassword"), passwordPolicy());
  try {
    if (!(await isOwnPassword(user.id, field(form, "currentPassword")))) {
      return { values: {}, errors: { currentPassword: WRONG_PASSWORD } };
    }
    if (!newPassword.ok) return { values: {}, errors: { newPassword: newPassword.error } };
    await storeNewPassword(user.id, newPassword.value, sessionId);
  } catch (error) {
    console.error("password change failed", error);
    return { values: {}, errors: {}, formError: UNAVAILABLE };
  }
  return { values: {}, errors: {}, notice: "Your password was changed, and every other session was signed out." };
}

export async function deleteAccount(_previous: FormState, form: FormData): Promise<FormState> {
  const { user } = await requireSession("/account/delete");
  try {
    if (!(await isOwnPassword(user.id, field(form, "password")))) {
      return { values: {}, errors: { password: WRONG_PASSWORD } };
    }
    await deleteUser(user.id);
  } catch (error) {
    console.error("account deletion failed", error);
    return { values: {}, errors: {}, formError: UNAVAILABLE };
  }
  await deleteSessionCookie();
  redirect(HOME_PATH);
}
