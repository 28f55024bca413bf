import type { Metadata } from "next";
import { deleteAccount } from "../actions";
import { ActionForm } from "../../_components/action-form";
import { CREDENTIAL_FIELDS, withoutCurrentPassword } from "../../_lib/credential-fields";
import { withDatabase } from "../../_components/with-database";
import { requireRecentAuthentication } from "@/lib/sessions/data-access.server";
import { DELETE_ACCOUNT_PATH } from "@/lib/routes";
import { hasPassword } from "@/lib/users/store.server";

export const metadata: Metadata = { title: "Delete account" };

export default withDatabase(DELETE_ACCOUNT_PATH, async function DeleteAccountPage() {
  const { user } = await requireRecentAuthentication(DELETE_ACCOUNT_PATH);
  const withPassword = await hasPassword(user.id);
  return (
    <section className="card narrow">
      <h1>Delete account</h1>
      <p>
        This deletes <strong>{user.email}</strong> and signs out every session, for good.{" "}
        {withPassword ? "Type your password to confirm." : "You confirmed who you are a moment ago; that is enough."}
      </p>
      <ActionForm
        action={deleteAccount}
        fields={withoutCurrentPassword(CREDENTIAL_FIELDS.confirmWithPassword, withPassword)}
        submitLabel="Delete account"
        submitVariant="danger"
      />
    </section>
  );
});
