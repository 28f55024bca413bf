import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { signIn } from "../actions";
import { ActionForm } from "../_components/action-form";
import { CREDENTIAL_FIELDS } from "../_components/credential-fields";
import { withDatabase } from "../_components/with-database";
import { getCurrentUser } from "@/lib/sessions/data-access.server";
import { ACCOUNT_PATH, SIGN_UP_PATH, safeReturnPath } from "@/lib/routes";

export const metadata: Metadata = { title: "Sign in" };

export default withDatabase("/sign-in", async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  if (await getCurrentUser()) redirect(ACCOUNT_PATH);
  const { next } = await searchParams;
  const returnTo = safeReturnPath(next);
  return (
    <section className="card narrow">
      <h1>Sign in</h1>
      <ActionForm
        action={signIn}
        fields={CREDENTIAL_FIELDS.signIn}
        submitLabel="Sign in"
        hidden={returnTo === ACCOUNT_PATH ? {} : { next: returnTo }}
      />
      <p className="aside">
        New here? <Link href={SIGN_UP_PATH}>Create account</Link>
      </p>
    </section>
  );
});
