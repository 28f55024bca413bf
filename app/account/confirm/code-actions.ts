"use server";
// Step-up with a code from the authenticator app: the same check as at sign-in (a step used once, one step of
// drift) and the same per-account limits; then the session's authentication time moves, and back the person goes.
import { redirect } from "next/navigation";
import { verifyTotpCode } from "@/lib/factors/totp.server";
import { recordConfirmation, requireSession } from "@/lib/sessions/data-access.server";
import { confirmIdentityPathFor, safeReturnPath } from "@/lib/routes";
import { throttledMessage } from "@/lib/users/sign-in.server";
import { failureMessage, field } from "../../_components/form-data";
import type { FormState } from "../../_components/form-state";

export async function confirmWithCode(_previous: FormState, form: FormData): Promise<FormState> {
  const returnTo = safeReturnPath(field(form, "next"));
  const session = await requireSession(confirmIdentityPathFor(returnTo));
  const raw = field(form, "code");
  try {
    const outcome = await verifyTotpCode(session.user.id, raw);
    if (!outcome.ok) {
      switch (outcome.reason) {
        case "malformed":
          return { values: { code: raw }, errors: { code: "Enter the 6-digit code your authenticator app shows." } };
        case "invalid":
          return { values: {}, errors: { code: "That code is not right, or was already used. Wait for the next one and try again." } };
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
