import type { Metadata } from "next";
import { changePassword } from "../actions";
import { ActionForm } from "../../_components/action-form";
import { CREDENTIAL_FIELDS, passwordHint } from "../../_lib/credential-fields";
import { withDatabase } from "../../_components/with-database";
import { requireRecentAuthentication } from "@/lib/sessions/data-access.server";
import { passwordPolicy } from "@/lib/config";
import { CHANGE_PASSWORD_PATH } from "@/lib/routes";

export const metadata: Metadata = { title: "Change password" };

export default withDatabase(CHANGE_PASSWORD_PATH, async function ChangePasswordPage() {
  await requireRecentAuthentication(CHANGE_PASSWORD_PATH);
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
