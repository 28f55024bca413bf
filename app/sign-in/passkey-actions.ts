"use server";
// Passwordless sign-in with a passkey: the options (a fresh challenge), then the browser's answer. Thin: lib/passkeys
// decides; this reads the request and answers with a message or a redirect.
import { headers } from "next/headers";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { clientAddress } from "@/lib/http/client-info";
import { signInOptions } from "@/lib/passkeys/authentication.server";
import { safeReturnPath } from "@/lib/routes";
import { startSession } from "@/lib/sessions/data-access.server";
import { signIn } from "@/lib/sign-in/sign-in.server";
import { failureMessage } from "../_lib/form-data";

export type PasskeyOptionsResult = { ok: true; options: PublicKeyCredentialRequestOptionsJSON } | { ok: false; error: string };

export async function passkeySignInOptions(): Promise<PasskeyOptionsResult> {
  try {
    return { ok: true, options: await signInOptions() };
  } catch (error) {
    return { ok: false, error: failureMessage(error, "passkey sign-in options") };
  }
}

export type PasskeyOutcome = { ok: true; location: string } | { ok: false; error: string };

/**
 * Signs in the passkey's owner (a new session, its cookie set on this response) and names where to go: the safe
 * `next`, else /account. The browser then loads that page whole, so everything on it is the new session's.
 */
export async function signInWithPasskey(response: unknown, next: unknown): Promise<PasskeyOutcome> {
  try {
    const answer = await signIn({ factor: { kind: "passkey", response }, address: clientAddress(await headers()) });
    if (answer.outcome === "refused") return { ok: false, error: answer.error.userMessage };
    await startSession(answer.user, answer.method);
  } catch (error) {
    return { ok: false, error: failureMessage(error, "passkey sign-in") };
  }
  return { ok: true, location: safeReturnPath(next) };
}
