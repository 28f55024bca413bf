// A passkey's name: what the person calls it in /account/security. Pure.
import { describeDevice, UNKNOWN_DEVICE } from "../http/devices";

export const MAX_PASSKEY_NAME_LENGTH = 64;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** "Chrome on Linux": the device the passkey was added on, as /account/sessions names devices. */
export function defaultPasskeyName(userAgent: string | null | undefined): string {
  const device = describeDevice(userAgent);
  return device === UNKNOWN_DEVICE ? "Passkey" : device.slice(0, MAX_PASSKEY_NAME_LENGTH);
}

export type NameCheck = { ok: true; value: string } | { ok: false; error: string };

/** A name typed by the person: trimmed, without control characters, 1 to 64 characters. */
export function checkPasskeyName(raw: unknown): NameCheck {
  const value = typeof raw === "string" ? raw.replace(CONTROL, "").trim() : "";
  if (value === "") return { ok: false, error: "Enter a name." };
  if (value.length > MAX_PASSKEY_NAME_LENGTH) return { ok: false, error: `At most ${MAX_PASSKEY_NAME_LENGTH} characters.` };
  return { ok: true, value };
}
