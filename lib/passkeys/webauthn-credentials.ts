// The parts of a stored passkey that need no database: its id's shape, its transports, whether it is synced. Pure.

/** Credential ids are base64url; real ones are 16 to a few hundred bytes (WebAuthn allows up to 1023). */
const CREDENTIAL_ID = /^[A-Za-z0-9_-]{16,1400}$/;

export function isCredentialId(value: unknown): value is string {
  return typeof value === "string" && CREDENTIAL_ID.test(value);
}

/** The WebAuthn transports a browser may report; anything else it sends is dropped. */
export const TRANSPORTS = ["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** From a row's comma-separated list, or a browser's array: known values only, each once. */
export function toTransports(value: unknown): Transport[] {
  const list: unknown[] = typeof value === "string" ? value.split(",") : Array.isArray(value) ? value : [];
  return [...new Set(list.filter((item): item is Transport => (TRANSPORTS as readonly unknown[]).includes(item)))];
}

/**
 * A synced passkey (multi-device, backed up by a password manager or platform) counts as a software key (amr
 * swk); one bound to its device, as a hardware key (hwk).
 */
export function isSynced(passkey: { deviceType: string; backedUp: boolean }): boolean {
  return passkey.backedUp || passkey.deviceType === "multiDevice";
}
