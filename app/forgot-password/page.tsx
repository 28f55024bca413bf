import type { Metadata } from "next";
import Link from "next/link";
import { sendResetLink } from "./actions";
import { ActionForm } from "../_components/action-form";
import { CREDENTIAL_FIELDS } from "../_lib/credential-fields";
import { SIGN_IN_PATH } from "@/lib/routes";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <section className="card narrow">
      <h1>Forgot password</h1>
      <p>Type the email of your account. We will mail you a link to set a new password.</p>
      <ActionForm action={sendResetLink} fields={CREDENTIAL_FIELDS.forgotPassword} submitLabel="Send reset link" />
      <p className="aside">
        Remembered it? <Link href={SIGN_IN_PATH}>Sign in</Link>
      </p>
    </section>
  );
}
