"use server";
import { redirect } from "next/navigation";
import { confirmEmail } from "@/lib/recovery/email-confirmation.server";
import { ACCOUNT_PATH, signInWithNotice, VERIFY_EMAIL_PATH } from "@/lib/routes";
import { getSession } from "@/lib/sessions/data-access.server";
import { failureMessage } from "../_lib/form-data";
import type { FormState } from "../_lib/form-state";
import { forgetLinkToken, readLinkToken } from "../_lib/link-token";

const TAKEN = "Another account uses that email now, so it cannot become yours. Nothing was changed.";

export async function confirmEmailAddress(_previous: FormState): Promise<FormState> {
  const token = await readLinkToken(VERIFY_EMAIL_PATH);
  let outcome;
  let session;
  try {
    session = await getSession();
    outcome = token === null ? null : await confirmEmail(token, session?.sessionId ?? null);
  } catch (error) {
    return { values: {}, errors: {}, formError: failureMessage(error, "email confirmation") };
  }
  if (outcome?.ok === false && outcome.reason === "taken") return { values: {}, errors: {}, formError: TAKEN };
  if (!outcome?.ok) redirect(VERIFY_EMAIL_PATH);
  await forgetLinkToken(VERIFY_EMAIL_PATH);
  // This browser's session survives a change only when it is the same person's: then back to the account.
  redirect(session?.user.id === outcome.userId ? ACCOUNT_PATH : signInWithNotice("email-confirmed"));
}
