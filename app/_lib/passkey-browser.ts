// The browser's side of a passkey ceremony, for the client components: what the browser says when a ceremony
// does not finish, in words a person can act on. Imported by client components only.
import { WebAuthnError } from "@simplewebauthn/browser";

/** Shown until the page's script runs (and for good without JavaScript): the passkey buttons stay disabled. */
export const PASSKEYS_NEED_JAVASCRIPT = "Passkeys need JavaScript.";
export const NO_PASSKEY_SUPPORT = "This browser cannot use passkeys.";

/** Was the ceremony ended on purpose: the person cancelled, or another ceremony (the button) took over autofill. */
export function wasAborted(error: unknown): boolean {
  return error instanceof WebAuthnError && error.code === "ERROR_CEREMONY_ABORTED";
}

/** What to tell the person when the browser's part failed (cancelled, timed out, no passkey, already there). */
export function browserFailureMessage(error: unknown, fallback: string): string {
  if (error instanceof WebAuthnError) {
    if (error.code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") return "This device already has a passkey for your account.";
    if (error.code === "ERROR_CEREMONY_ABORTED") return "The passkey request was cancelled.";
  }
  // NotAllowedError: cancelled, timed out, or no passkey for this site on the device.
  if (error instanceof Error && (error.name === "NotAllowedError" || error.name === "AbortError")) {
    return "The passkey request was cancelled or timed out.";
  }
  return fallback;
}
