import type { CurrentSession } from "@/lib/sessions/data-access.server";
import { countPasskeys } from "@/lib/passkeys/store.server";
import { safeReturnPath } from "@/lib/routes";
import { PasskeyConfirm } from "./passkey-confirm";

/** Confirming who you are with a passkey, for a person who has one. */
export async function PasskeyOption({ session, returnTo }: { session: CurrentSession; returnTo: string }) {
  if ((await countPasskeys(session.user.id)) === 0) return null;
  return <PasskeyConfirm returnTo={safeReturnPath(returnTo)} />;
}
