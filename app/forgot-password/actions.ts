"use server";
import { after } from "next/server";
import { headers } from "next/headers";
import { clientAddress } from "@/lib/http/client-info";
import { requestPasswordReset } from "@/lib/recovery/password-reset.server";
import { checkEmail } from "@/lib/users/credentials";
import { failureMessage, field } from "../_lib/form-data";
import type { FormState } from "../_lib/form-state";

/** The one answer, whatever the email: known, unknown or over the limit. */
const RESET_LINK_SENT = "If an account exists for that email, a link to reset its password is on its way.";

export async function sendResetLink(_previous: FormState, form: FormData): Promise<FormState> {
  const email = checkEmail(field(form, "email"));
  if (!email.ok) return { values: { email: field(form, "email") }, errors: { email: email.error } };
  try {
    await requestPasswordReset(email.value, clientAddress(await headers()), after);
  } catch (error) {
    return { values: { email: email.value }, errors: {}, formError: failureMessage(error, "password reset request") };
  }
  // The typed email is not echoed back: the answer is byte for byte the same for every email.
  return { values: {}, errors: {}, notice: RESET_LINK_SENT };
}
