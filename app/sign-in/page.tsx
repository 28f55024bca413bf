import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { signIn } from "../actions";
import { ActionForm } from "../_components/action-form";
import { CREDENTIAL_FIELDS } from "../_lib/credential-fields";
import { withDatabase } from "../_components/with-database";
import { PasskeySignIn } from "./passkey-sign-in";
import { passkeySignInOptions, signInWithPasskey } from "./passkey-actions";
import { getCurrentUser } from "@/lib/sessions/data-access.server";
import { ACCOUNT_PATH, FORGOT_PASSWORD_PATH, safeReturnPath, SIGN_IN_NOTICES, SIGN_IN_PATH, SIGN_UP_PATH, type SignInNotice } from "@/lib/routes";
import { providerSettings } from "@/lib/config/providers";
import { isProviderNotice, PROVIDER_NOTICES } from "@/lib/providers/messages";
import { ContinueWithProviders } from "../_components/continue-with-providers";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<{ next?: string | string[]; notice?: string | string[]; provider?: string | string[] }>;

/** Only the app's own fixed sentences: whatever else is in the address is never shown. */
function announcementFor(notice: unknown, provider: unknown): string | null {
  if (typeof notice !== "string") return null;
  if (Object.hasOwn(SIGN_IN_NOTICES, notice)) return SIGN_IN_NOTICES[notice as SignInNotice];
  const settings = providerSettings(provider);
  return settings && isProviderNotice(notice) ? PROVIDER_NOTICES[notice](settings.name) : null;
}

export default withDatabase(SIGN_IN_PATH, async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  if (await getCurrentUser()) redirect(ACCOUNT_PATH);
  const { next, notice, provider } = await searchParams;
  const returnTo = safeReturnPath(next);
  const announcement = announcementFor(notice, provider);
  return (
    <section className="card narrow">
      <h1>Sign in</h1>
      {announcement ? (
        <p role="status" className="form-notice">
          {announcement}
        </p>
      ) : null}
      <ActionForm
        action={signIn}
        fields={CREDENTIAL_FIELDS.signIn}
        submitLabel="Sign in"
        hidden={returnTo === ACCOUNT_PATH ? {} : { next: returnTo }}
      />
      <PasskeySignIn next={returnTo} actions={{ options: passkeySignInOptions, signIn: signInWithPasskey }} />
      <ContinueWithProviders next={returnTo === ACCOUNT_PATH ? undefined : returnTo} />
      <p className="aside">
        <Link href={FORGOT_PASSWORD_PATH}>Forgot password?</Link>
      </p>
      <p className="aside">
        New here? <Link href={SIGN_UP_PATH}>Create account</Link>
      </p>
    </section>
  );
});
