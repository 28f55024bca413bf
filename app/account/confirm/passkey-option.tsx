import type { CurrentSession } from "@/lib/sessions/data-access.server";

/** Confirming who you are with a passkey, for a person who has one. */
export async function PasskeyOption(_props: { session: CurrentSession; returnTo: string }) {
  return null;
}
