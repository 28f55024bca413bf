import type { Metadata } from "next";
import { confirmWithPassword } from "./actions";
import { CodeOption } from "./code-option";
import { PasskeyOption } from "./passkey-option";
import { ProviderOption } from "./provider-option";
import { hasPassword } from "@/lib/users/store.server";
import { ActionForm } from "../../_components/action-form";
import { CREDENTIAL_FIELDS } from "../../_lib/credential-fields";
import { withDatabase } from "../../_components/with-database";
import { requireSession } from "@/lib/sessions/data-access.server";
import { ACCOUNT_PATH, CONFIRM_IDENTITY_PATH, safeReturnPath } from "@/lib/routes";

export const metadata: Metadata = { title: "Confirm it’s you" };

type Props = { searchParams: Promise<{ next?: string | string[] }> };

export default withDatabase(CONFIRM_IDENTITY_PATH, async function ConfirmIdentityPage({ searchParams }: Props) {
  const session = await requireSession(CONFIRM_IDENTITY_PATH);
  const returnTo = safeReturnPath((await searchParams).next, ACCOUNT_PATH);
  return (
    <section className="card narrow">
      <h1>Confirm it’s you</h1>
      <p>This change needs a recent sign-in. Confirm who you are, and you will go straight back to it.</p>
      {(await hasPassword(session.user.id)) ? (
        <section aria-labelledby="confirm-password-heading">
          <h2 id="confirm-password-heading">With your password</h2>
          <ActionForm
            action={confirmWithPassword}
            fields={CREDENTIAL_FIELDS.confirmWithPassword}
            submitLabel="Confirm"
            hidden={{ next: returnTo }}
          />
        </section>
      ) : null}
      <CodeOption session={session} returnTo={returnTo} />
      <PasskeyOption session={session} returnTo={returnTo} />
      <ProviderOption session={session} returnTo={returnTo} />
    </section>
  );
});
