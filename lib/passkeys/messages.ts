// What a person reads when a passkey ceremony fails: one sentence per ceremony, and a few failures that say more.
// Free of server code: the browser's passkey components show the same sentences when the browser itself fails.
import type { PasskeyCeremony, PasskeyFailure } from "./errors";

export const PASSKEY_MESSAGES: Record<PasskeyCeremony, string> = {
  registration: "That passkey could not be added. Please try again.",
  "sign-in": "That passkey could not sign you in.",
  "step-up": "That passkey could not confirm it is you.",
};

export const PASSKEY_FAILURE_MESSAGES: Partial<Record<PasskeyFailure, string>> = {
  challenge: "That request has expired. Please try again.",
  "already-registered": "That passkey is already registered.",
  "too-many": "You have as many passkeys as an account may have. Remove one first.",
  "no-passkey": "You have no passkey to confirm with.",
};
