import type { CurrentSession } from "@/lib/sessions/data-access.server";

/** Confirming who you are with an authenticator app code, for a person who has one. */
export async function CodeOption(_props: { session: CurrentSession; returnTo: string }) {
  return null;
}
