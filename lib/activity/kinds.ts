// What can happen to an account, as the events table names it. Pure: the pages, the API and the admin page read
// the same words.

export const EVENT_KINDS = [
  "signed-in",
  "sign-in-failed",
  "sign-in-throttled",
  "signed-out",
  "signed-out-elsewhere",
  "password-changed",
  "password-reset",
  "email-change-requested",
  "email-changed",
  "email-confirmed",
  "totp-enabled",
  "totp-disabled",
  "recovery-code-used",
  "recovery-codes-regenerated",
  "passkey-added",
  "passkey-renamed",
  "passkey-removed",
  "sessions-ended-by-admin",
  "role-changed",
  "wasnt-me",
  "provider-connected",
  "provider-disconnected",
  "unconfirmed-account-cleared",
] as const;

export type EventKind = (typeof EVENT_KINDS)[number];

/** Kinds an attacker can repeat at will: one row per account and window, counting, never one per attempt. */
export type AggregatedKind = Extract<EventKind, "sign-in-failed" | "sign-in-throttled">;

/** Small facts an event may carry. None is a secret: a method, a name the person chose, a role. */
export interface EventDetails {
  method?: string;
  passkeyName?: string;
  role?: string;
  /** A provider's display name: "GitHub". */
  provider?: string;
}

export function toEventKind(value: string): EventKind | null {
  return EVENT_KINDS.find((kind) => kind === value) ?? null;
}
