import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { signUp } from "../actions";
import { AuthForm } from "../_components/auth-form";
import { withDatabase } from "../_components/with-database";
import { getCurrentUser } from "@/lib/auth.server";
import { passwordPolicy } from "@/lib/config";
import { ACCOUNT_PATH, SIGN_IN_PATH } from "@/lib/routes";

export const metadata: Metadata = { title: "Create account" };

export default withDatabase(async function SignUpPage() {
  if (await getCurrentUser()) redirect(ACCOUNT_PATH);
  const { minLength, maxLength } = passwordPolicy();
  return (
    <section className="card narrow">
      <h1>Create account</h1>
      <AuthForm
        action={signUp}
        submitLabel="Create account"
        passwordAutoComplete="new-password"
        passwordHint={`${minLength} to ${maxLength} characters. A few unrelated words make a strong one.`}
      />
      <p className="aside">
        Already have an account? <Link href={SIGN_IN_PATH}>Sign in</Link>
      </p>
    </section>
  );
});
