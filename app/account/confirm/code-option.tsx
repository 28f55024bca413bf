import type { CurrentSession } from "@/lib/sessions/data-access.server";
import { hasTotp } from "@/lib/factors/totp.server";
import { ActionForm } from "../../_components/action-form";
import { CREDENTIAL_FIELDS } from "../../_lib/credential-fields";
import { confirmWithCode } from "./code-actions";

/** Confirming who you are with an authenticator app code, for a person who has one. */
export async function CodeOption({ session, returnTo }: { session: CurrentSession; returnTo: string }) {
  if (!(await hasTotp(session.user.id))) return null;
  return (
    <section aria-labelledby="confirm-code-heading">
      <h2 id="confirm-code-heading">With your authenticator app</h2>
      <ActionForm action={confirmWithCode} fields={CREDENTIAL_FIELDS.totpCode} submitLabel="Confirm" hidden={{ next: returnTo }} />
    </section>
  );
}
