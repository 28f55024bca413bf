import type { Metadata } from "next";
import { changePassword, mailPasswordLink } from "../actions";
import { ActionForm } from "../../_components/action-form";
import { CREDENTIAL_FIELDS, passwordHint } from "../../_lib/credential-fields";
import { withDatabase } from "../../_components/with-database";
import { requireRecentAuthentication } from "@/lib/sessions/data-access.server";
import { passwordPolicy } from "@/lib/config";
import { CHANGE_PASSWORD_PATH } from "@/lib/routes";
import { hasPassword } from "@/lib/users/store.server";

export const metadata: Metadata = { title: "Change password" };

export default withDatabase(CHANGE_PASSWORD_PATH, async function ChangePasswordPage() {
  const { user } = await requireRecentAuthentication(CHANGE_PASSWORD_PATH);
  // Made through a provider: no current password to type. The reset mail sets one and proves the mailbox.
  if (!(await hasPassword(user.id))) {
    return (
      <section className="card narrow">
        <h1>Set a password</h1>
        <p>
          Your account has no password: you sign in with another account or a passkey. To add a password, we mail a
          link to <strong>{user.email}</strong>; open it and choose one.
        </p>
        <ActionForm action={mailPasswordLink} fields={[]} submitLabel="Mail me a link to set a password" />
      </section>
    );
  }
  return (
    <section className="card narrow">
      <h1>Change password</h1>
      <p>Every other browser and app signed in to your account will be signed out.</p>
      <ActionForm
        action={changePassword}
        fields={CREDENTIAL_FIELDS.changePassword(passwordHint(passwordPolicy()))}
        submitLabel="Change password"
      />
    </section>
  );
});
