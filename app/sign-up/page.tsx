import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { signUp } from "../actions";
import { ActionForm } from "../_components/action-form";
import { CREDENTIAL_FIELDS, passwordHint } from "../_lib/credential-fields";
import { withDatabase } from "../_components/with-database";
import { getCurrentUser } from "@/lib/sessions/data-access.server";
import { passwordPolicy } from "@/lib/config";
import { ACCOUNT_PATH, SIGN_IN_PATH, SIGN_UP_PATH } from "@/lib/routes";
import { ContinueWithProviders } from "../_components/continue-with-providers";

export const metadata: Metadata = { title: "Create account" };

export default withDatabase(SIGN_UP_PATH, async function SignUpPage() {
  if (await getCurrentUser()) redirect(ACCOUNT_PATH);
  return (
    <section className="card narrow">
      <h1>Create account</h1>
      <ActionForm
        action={signUp}
        fields={CREDENTIAL_FIELDS.signUp(passwordHint(passwordPolicy()))}
        submitLabel="Create account"
      />
      <ContinueWithProviders />
      <p className="aside">
        Already have an account? <Link href={SIGN_IN_PATH}>Sign in</Link>
      </p>
    </section>
  );
});
