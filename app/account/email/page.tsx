import type { Metadata } from "next";
import { changeEmail } from "../actions";
import { ActionForm } from "../../_components/action-form";
import { CREDENTIAL_FIELDS, withoutCurrentPassword } from "../../_lib/credential-fields";
import { withDatabase } from "../../_components/with-database";
import { requireRecentAuthentication } from "@/lib/sessions/data-access.server";
import { CHANGE_EMAIL_PATH } from "@/lib/routes";
import { hasPassword } from "@/lib/users/store.server";

export const metadata: Metadata = { title: "Change email" };

export default withDatabase(CHANGE_EMAIL_PATH, async function ChangeEmailPage() {
  const { user } = await requireRecentAuthentication(CHANGE_EMAIL_PATH);
  return (
    <section className="card narrow">
      <h1>Change email</h1>
      <p>
        Your email is <strong>{user.email}</strong>. We will mail a link to the new address, and a notice to this one.
        The change happens when the link is opened, and then every other session is signed out.
      </p>
      <ActionForm
        action={changeEmail}
        fields={withoutCurrentPassword(CREDENTIAL_FIELDS.changeEmail, await hasPassword(user.id))}
        submitLabel="Change email"
      />
    </section>
  );
});
