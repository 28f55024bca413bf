"use server";
// Passkeys on /account/security: add (a WebAuthn registration in two steps), rename, remove. Thin: lib/passkeys
// decides. Adding or removing one changes how the account signs in, so both need a recent authentication (step-up).
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect, unstable_rethrow } from "next/navigation";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { clientAddress } from "@/lib/http/client-info";
import { PasskeyError } from "@/lib/passkeys/errors";
import { defaultPasskeyName } from "@/lib/passkeys/names";
import { registrationOptions, verifyRegistration } from "@/lib/passkeys/registration.server";
import { removePasskey, renamePasskey } from "@/lib/passkeys/store.server";
import { SECURITY_PATH } from "@/lib/routes";
import { LastWayInError } from "@/lib/ways-in/ways-in.server";
import { PASSKEY_LAST_WAY_IN } from "./notices";
import { recordConfirmation, requireRecentAuthentication, requireUser } from "@/lib/sessions/data-access.server";
import { failureMessage, field } from "../../_lib/form-data";
import type { FormState } from "../../_lib/form-state";

export type RegistrationOptionsResult =
  | { ok: true; options: PublicKeyCredentialCreationOptionsJSON }
  | { ok: false; error: string };

export type AddPasskeyResult = { ok: true; name: string } | { ok: false; error: string };

/** Step one of "Add a passkey": options for the browser, with a challenge bound to this person. */
export async function passkeyRegistrationOptions(): Promise<RegistrationOptionsResult> {
  const { user } = await requireRecentAuthentication(SECURITY_PATH);
  try {
    return { ok: true, options: await registrationOptions(user) };
  } catch (error) {
    if (error instanceof PasskeyError) return { ok: false, error: error.userMessage };
    return { ok: false, error: failureMessage(error, "passkey registration options") };
  }
}

/**
 * Step two: the browser's new credential, verified and stored, named after this device. The person just used
 * a passkey with user verification, so this session now counts as two factors.
 */
export async function addPasskey(response: unknown): Promise<AddPasskeyResult> {
  const session = await requireRecentAuthentication(SECURITY_PATH);
  const requestHeaders = await headers();
  let name: string;
  try {
    const passkey = await verifyRegistration(session.user, response, defaultPasskeyName(requestHeaders.get("user-agent")), {
      address: clientAddress(requestHeaders),
    });
    await recordConfirmation(session, passkey.synced ? "passkey-synced" : "passkey");
    name = passkey.name;
  } catch (error) {
    // recordConfirmation sends a session that ended meanwhile to sign in: that redirect must go through.
    unstable_rethrow(error);
    if (error instanceof PasskeyError) return { ok: false, error: error.userMessage };
    return { ok: false, error: failureMessage(error, "passkey registration") };
  }
  revalidatePath(SECURITY_PATH);
  return { ok: true, name };
}

/** "Rename": the id is bound on the server, the name typed by the person. Only their own passkeys. */
export async function renamePasskeyAction(passkeyId: unknown, _previous: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser(SECURITY_PATH);
  const values = { name: field(form, "name") };
  try {
    const outcome = await renamePasskey(user.id, passkeyId, values.name);
    if (!outcome.ok) return { values, errors: { name: outcome.error } };
    revalidatePath(SECURITY_PATH);
    return { values: { name: outcome.name }, errors: {}, notice: `Renamed to “${outcome.name}”.` };
  } catch (error) {
    return { values, errors: {}, formError: failureMessage(error, "passkey rename") };
  }
}

/**
 * "Remove": turning a factor off, so a recent authentication first (else /account/confirm, then back here). The
 * account's last way in stays, and the page says why.
 */
export async function removePasskeyAction(passkeyId: unknown): Promise<void> {
  const { user } = await requireRecentAuthentication(SECURITY_PATH);
  try {
    await removePasskey(user.id, passkeyId);
  } catch (error) {
    if (!(error instanceof LastWayInError)) throw error;
    redirect(`${SECURITY_PATH}?${new URLSearchParams({ notice: PASSKEY_LAST_WAY_IN })}`);
  }
  revalidatePath(SECURITY_PATH);
}
