// Tessera's sign-in page (app/sign-in/page.tsx), its form Tessera's own ActionForm.
import Link from "next/link";
import { ActionForm } from "../../../../../app/_components/action-form";
import { CREDENTIAL_FIELDS } from "../../../../../app/_lib/credential-fields";
import { FORGOT_PASSWORD_PATH, SIGN_UP_PATH } from "../../../../../lib/routes";
import { PasskeySignIn } from "../../../../../app/sign-in/passkey-sign-in";
import { passkeySignInOptions, signIn, signInWithPasskey } from "../../actions";

export const metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }) {
  await searchParams;
  return (
    <section className="card narrow">
      <h1>Sign in</h1>
      <ActionForm action={signIn} fields={CREDENTIAL_FIELDS.signIn} submitLabel="Sign in" hidden={{}} />
      <PasskeySignIn next="/account" actions={{ options: passkeySignInOptions, signIn: signInWithPasskey }} />
      <p className="aside">
        <Link href={FORGOT_PASSWORD_PATH}>Forgot password?</Link>
      </p>
      <p className="aside">
        New here? <Link href={SIGN_UP_PATH}>Create account</Link>
      </p>
    </section>
  );
}
