"use server";
// Step-up with a code from the authenticator app: the same check as at sign-in (a step used once, one step of
// drift) and the same per-account limits; then the session's authentication time moves, and back the person goes.
import { redirect } from "next/navigation";
import { verifyTotpCode } from "@/lib/factors/totp.server";
import { recordConfirmation, requireSession } from "@/lib/sessions/data-access.server";
import { confirmIdentityPathFor, safeReturnPath } from "@/lib/routes";
import { FACTOR_MESSAGES } from "@/lib/factors/messages";
import { throttledMessage } from "@/lib/sign-in/messages";
import { failureMessage, field } from "../../_lib/form-data";
import type { FormState } from "../../_lib/form-state";

export async function confirmWithCode(_previous: FormState, form: FormData): Promise<FormState> {
  const returnTo = safeReturnPath(field(form, "next"));
  const session = await requireSession(confirmIdentityPathFor(returnTo));
  const raw = field(form, "code");
  try {
    const outcome = await verifyTotpCode(session.user.id, raw);
    if (!outcome.ok) {
      switch (outcome.reason) {
        case "malformed":
          return { values: { code: raw }, errors: { code: FACTOR_MESSAGES.malformedCode } };
        case "invalid":
          return { values: {}, errors: { code: FACTOR_MESSAGES.wrongCode } };
        case "throttled":
          return { values: {}, errors: {}, formError: throttledMessage(outcome.retryAfterSeconds) };
      }
    }
  } catch (error) {
    return { values: { code: raw }, errors: {}, formError: failureMessage(error, "confirmation with a code") };
  }
  await recordConfirmation(session, "otp");
  redirect(returnTo);
}
