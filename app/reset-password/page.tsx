import type { Metadata } from "next";
import { setNewPassword } from "./actions";
import { ActionForm } from "../_components/action-form";
import { CREDENTIAL_FIELDS, passwordHint } from "../_lib/credential-fields";
import { LinkExpired } from "../_components/link-expired";
import { readLinkToken } from "../_lib/link-token";
import { withDatabase } from "../_components/with-database";
import { passwordPolicy } from "@/lib/config";
import { FORGOT_PASSWORD_PATH, RESET_PASSWORD_PATH } from "@/lib/routes";
import { findUsableToken } from "@/lib/tokens/one-time-tokens.server";

export const metadata: Metadata = { title: "Set a new password" };

// Looking the token up spends nothing: a mail scanner opening the link leaves it working.
export default withDatabase(RESET_PASSWORD_PATH, async function ResetPasswordPage() {
  const grant = await findUsableToken(await readLinkToken(RESET_PASSWORD_PATH), ["password-reset"]);
  if (!grant) return <LinkExpired newLinkHref={FORGOT_PASSWORD_PATH} newLinkLabel="Ask for a new reset link" />;
  return (
    <section className="card narrow">
      <h1>Set a new password</h1>
      <p>
        For <strong>{grant.email}</strong>. Every browser and app signed in to this account will be signed out.
      </p>
      <ActionForm
        action={setNewPassword}
        fields={CREDENTIAL_FIELDS.resetPassword(passwordHint(passwordPolicy()))}
        submitLabel="Set new password"
      />
    </section>
  );
});
