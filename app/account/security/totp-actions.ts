"use server";
// The authenticator app on /account/security: set up, turn on, new recovery codes, turn off. Thin: read the form,
// ask lib/factors, answer with form state.
import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";
import { beginTotpSetup, confirmTotpSetup, regenerateRecoveryCodes, turnOffTotp, verifyTotpCode } from "@/lib/factors/totp.server";
import {
  recordConfirmation,
  requireRecentAuthentication,
  requireUser,
} from "@/lib/sessions/data-access.server";
import { SECURITY_PATH } from "@/lib/routes";
import { FACTOR_MESSAGES } from "@/lib/factors/messages";
import { throttledMessage } from "@/lib/sign-in/messages";
import { failureMessage, field } from "../../_lib/form-data";
import { EMPTY_FORM, type FormState } from "../../_lib/form-state";
import { confirmCurrentPassword } from "../current-password";

/** A form's state, plus the recovery codes to show once when it made some. */
export interface CodesState extends FormState {
  recoveryCodes?: string[];
}

const { malformedCode: MALFORMED_CODE, wrongCode: WRONG_CODE } = FACTOR_MESSAGES;

// Adding a factor takes a recent authentication, as adding a passkey does: a stolen cookie that could turn on its
// own authenticator app would lock the owner out of their next sign-in and keep the recovery codes.
export async function startTotpSetup(_previous: FormState): Promise<FormState> {
  const { user } = await requireRecentAuthentication(SECURITY_PATH);
  try {
    await beginTotpSetup(user.id);
  } catch (error) {
    return { ...EMPTY_FORM, formError: failureMessage(error, "authenticator setup") };
  }
  revalidatePath(SECURITY_PATH);
  return EMPTY_FORM;
}

export async function turnOnTotp(_previous: CodesState, form: FormData): Promise<CodesState> {
  const session = await requireRecentAuthentication(SECURITY_PATH);
  const raw = field(form, "code");
  const values = { code: raw };
  let recoveryCodes: string[];
  try {
    const outcome = await confirmTotpSetup(session.user, raw);
    if (!outcome.ok) {
      switch (outcome.reason) {
        case "malformed":
          return { values, errors: { code: MALFORMED_CODE } };
        case "invalid":
          return { values: {}, errors: { code: WRONG_CODE } };
        case "throttled":
          return { values, errors: {}, formError: throttledMessage(outcome.retryAfterSeconds) };
        case "no-setup":
          revalidatePath(SECURITY_PATH);
          return { values: {}, errors: {}, formError: FACTOR_MESSAGES.setupReplaced };
      }
    }
    recoveryCodes = outcome.recoveryCodes;
  } catch (error) {
    return { values, errors: {}, formError: failureMessage(error, "authenticator setup") };
  }
  // The code just typed is a second factor in this session too: it becomes a two-factor session.
  await recordConfirmation(session, "otp");
  revalidatePath(SECURITY_PATH);
  return { values: {}, errors: {}, notice: "Your authenticator app is on.", recoveryCodes };
}

export async function newRecoveryCodes(_previous: CodesState): Promise<CodesState> {
  // A new set kills the old one: only a person who proved who they are in the last minutes may do it.
  const { user } = await requireRecentAuthentication(SECURITY_PATH);
  let recoveryCodes: string[] | null;
  try {
    recoveryCodes = await regenerateRecoveryCodes(user);
  } catch (error) {
    return { ...EMPTY_FORM, formError: failureMessage(error, "recovery codes") };
  }
  revalidatePath(SECURITY_PATH);
  if (recoveryCodes === null) return { ...EMPTY_FORM, formError: "Your authenticator app is not on, so there are no recovery codes to replace." };
  return { values: {}, errors: {}, notice: "Your new recovery codes are below. The old ones no longer work.", recoveryCodes };
}

export async function turnOffTotpAction(_previous: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser(SECURITY_PATH);
  const raw = field(form, "code");
  const values = { code: raw };
  try {
    const confirmation = await confirmCurrentPassword(user, field(form, "currentPassword"), SECURITY_PATH);
    if (!confirmation.ok) return { values, errors: { currentPassword: confirmation.error } };
    const outcome = await verifyTotpCode(user.id, raw);
    if (!outcome.ok) {
      if (outcome.reason === "throttled") return { values, errors: {}, formError: throttledMessage(outcome.retryAfterSeconds) };
      return outcome.reason === "malformed" ? { values, errors: { code: MALFORMED_CODE } } : { values: {}, errors: { code: WRONG_CODE } };
    }
    await turnOffTotp(user);
  } catch (error) {
    // An account with no password was sent to confirm who it is: that redirect must go through.
    unstable_rethrow(error);
    return { values, errors: {}, formError: failureMessage(error, "turning off the authenticator app") };
  }
  revalidatePath(SECURITY_PATH);
  return { values: {}, errors: {}, notice: "Your authenticator app is off. Signing in takes your password alone." };
}
