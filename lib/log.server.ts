import "server-only";
// Security events as one JSON object per line on stdout, for log shippers. Callers pass ids and addresses only:
// never a token, a password, a cookie or an email typed by someone who is not signed in.

export type SecurityEvent =
  | "sign-in.succeeded"
  | "sign-in.failed"
  | "sign-in.throttled"
  | "sign-out"
  | "sign-up"
  | "sign-up.throttled"
  | "password-confirmation.failed"
  | "password-confirmation.throttled"
  | "token.issued"
  | "token.refreshed"
  | "token.reused"
  | "password-reset.requested"
  | "password-reset.throttled"
  | "password-reset.completed"
  | "email-confirmation.sent"
  | "email.confirmed"
  | "email-change.requested"
  | "email.changed"
  | "two-factor.enabled"
  | "two-factor.disabled"
  | "two-factor.pending"
  | "two-factor.succeeded"
  | "two-factor.failed"
  | "two-factor.throttled"
  | "two-factor.confirmed"
  | "recovery-code.used"
  | "recovery-codes.replaced"
  | "passkey.added"
  | "passkey.renamed"
  | "passkey.removed"
  | "passkey.confirmed"
  | "passkey.failed"
  | "wasnt-me"
  | "breached-passwords.unavailable"
  | "provider.unavailable"
  | "provider.refused"
  | "provider.throttled"
  | "provider.sign-in"
  | "provider.account-created"
  | "provider.connected"
  | "provider.disconnected"
  | "provider.confirmed"
  | "provider.unconfirmed-account-cleared";

export function logEvent(event: SecurityEvent, fields: { userId?: string; address?: string | null; [key: string]: unknown }) {
  console.log(JSON.stringify({ time: new Date().toISOString(), event, ...fields }));
}
