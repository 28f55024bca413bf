// What a person reads about an event on /account/activity, /admin and in the API's "description". Pure: no
// server code, each sentence once.
import { describeSignInMethod, toSignInMethod } from "../tokens/sign-in-methods";
import type { EventDetails, EventKind } from "./kinds";

export const ACTIVITY_MESSAGES = {
  empty: "Nothing has happened on your account yet.",
  older: "Older events",
  newest: "Newest events",
  /** The API's refusal of a cursor it did not give. */
  badCursor: "cursor is not one this API gave.",
} as const;

/** The "This wasn't me" confirmation (/wasnt-me) and its link beside each sign-in. */
export const WASNT_ME_MESSAGES = {
  link: "This wasn't me",
  heading: "This wasn’t me",
  explanation:
    "Confirm, and every browser and app signed in to the account is signed out, yours too, every link in its mail stops working, and a link to set a new password goes to",
  confirm: "Sign everyone out",
} as const;

const SAID: Record<EventKind, string> = {
  "signed-in": "Signed in",
  "sign-in-failed": "A failed sign-in attempt",
  "sign-in-throttled": "Sign-in throttled after too many attempts",
  "signed-out": "Signed out",
  "signed-out-elsewhere": "Signed out everywhere else",
  "password-changed": "Password changed",
  "password-reset": "Password reset",
  "email-change-requested": "Email change asked for",
  "email-changed": "Email changed",
  "email-confirmed": "Email confirmed",
  "totp-enabled": "Authenticator app turned on",
  "totp-disabled": "Authenticator app turned off",
  "recovery-code-used": "Recovery code used",
  "recovery-codes-regenerated": "Recovery codes regenerated",
  "passkey-added": "Passkey added",
  "passkey-renamed": "Passkey renamed",
  "passkey-removed": "Passkey removed",
  "sessions-ended-by-admin": "Sessions ended by an admin",
  "role-changed": "Role changed",
  "wasnt-me": "“This wasn’t me”: every session ended, a link to set a new password mailed",
  "provider-connected": "Connected",
  "provider-disconnected": "Disconnected",
  // A provider vouched for the address of an account that had never confirmed it (docs/decisions/0018).
  "unconfirmed-account-cleared": "Password, sessions and sign-in methods removed: the email was never confirmed, and its owner proved it elsewhere",
};

/** "Signed in with password", "3 failed sign-in attempts", "Passkey added: “Work laptop”". */
export function describeEvent(event: { kind: EventKind; count: number; details: EventDetails }): string {
  const { kind, count, details } = event;
  if (kind === "sign-in-failed" && count > 1) return `${count} failed sign-in attempts`;
  if (kind === "sign-in-throttled" && count > 1) return `${SAID[kind]} (${count} attempts refused)`;
  if (kind === "signed-in" && details.method) return `${SAID[kind]} with ${describeSignInMethod(toSignInMethod(details.method))}`;
  if (details.passkeyName) return `${SAID[kind]}: “${details.passkeyName}”`;
  if (kind === "role-changed" && details.role) return `${SAID[kind]} to ${details.role}`;
  if ((kind === "provider-connected" || kind === "provider-disconnected") && details.provider) return `${SAID[kind]} ${details.provider}`;
  if (kind === "unconfirmed-account-cleared" && details.provider) return `${SAID[kind]} (with ${details.provider})`;
  return SAID[kind];
}
