"use server";
// Confirming who you are with a passkey (step-up) on /account/confirm: only the signed-in person's own passkeys,
// offered by the browser and checked again here. Thin: lib/passkeys decides.
import { headers } from "next/headers";
import { redirect, unstable_rethrow } from "next/navigation";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { clientAddress } from "@/lib/http/client-info";
import { stepUpOptions, verifyStepUp } from "@/lib/passkeys/authentication.server";
import { PasskeyError } from "@/lib/passkeys/errors";
import { CONFIRM_IDENTITY_PATH, safeReturnPath } from "@/lib/routes";
import { recordConfirmation, requireSession, requireUser } from "@/lib/sessions/data-access.server";
import { failureMessage } from "../../_lib/form-data";

export type StepUpOptionsResult = { ok: true; options: PublicKeyCredentialRequestOptionsJSON } | { ok: false; error: string };

export async function passkeyStepUpOptions(): Promise<StepUpOptionsResult> {
  const user = await requireUser(CONFIRM_IDENTITY_PATH);
  try {
    return { ok: true, options: await stepUpOptions(user.id) };
  } catch (error) {
    if (error instanceof PasskeyError) return { ok: false, error: error.userMessage };
    return { ok: false, error: failureMessage(error, "passkey step-up options") };
  }
}

/** The person's passkey verified: the session's authentication time moves to now, and back to `returnTo`. */
export async function confirmWithPasskey(response: unknown, returnTo: unknown): Promise<{ error: string }> {
  const session = await requireSession(CONFIRM_IDENTITY_PATH);
  try {
    const use = await verifyStepUp(session.user.id, response, { address: clientAddress(await headers()) });
    await recordConfirmation(session, use.method);
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof PasskeyError) return { error: error.userMessage };
    return { error: failureMessage(error, "passkey step-up") };
  }
  redirect(safeReturnPath(returnTo));
}
