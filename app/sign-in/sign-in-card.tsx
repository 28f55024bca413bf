import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { ActionForm } from "../_components/action-form";
import type { FormAction } from "../_lib/form-state";
import { CREDENTIAL_FIELDS } from "../_lib/credential-fields";
import { PasskeySignIn, type PasskeySignInActions } from "./passkey-sign-in";
import { FORGOT_PASSWORD_PATH, nextToCarry, SIGN_UP_PATH, signInPageReturningTo } from "@/lib/routes";

export const signInMetadata: Metadata = { title: "Sign in" };

/** The server's half, passed in: the pages hand their server actions, the benchmark's baseline its stand-ins. */
export interface SignInActions {
  password: FormAction;
  passkey: PasskeySignInActions;
}

/**
 * The sign-in page's card: the password form, the passkey button and `providers` (a button per configured provider,
 * when there are any). Rendered per request by app/sign-in/page.tsx, and at build time, without providers, by
 * app/prerendered/sign-in/page.tsx.
 */
export function SignInCard({ returnTo, announcement, actions, providers }: { returnTo: string; announcement: string | null; actions: SignInActions; providers?: ReactNode }) {
  const next = nextToCarry(returnTo);
  return (
    <section className="card narrow">
      <h1>Sign in</h1>
      {announcement ? (
        <p role="status" className="form-notice">
          {announcement}
        </p>
      ) : null}
      <ActionForm
        action={actions.password}
        fields={CREDENTIAL_FIELDS.signIn}
        submitLabel="Sign in"
        hidden={next === undefined ? {} : { next }}
        permalink={signInPageReturningTo(returnTo)}
      />
      <PasskeySignIn next={returnTo} actions={actions.passkey} />
      {providers}
      <p className="aside">
        <Link href={FORGOT_PASSWORD_PATH}>Forgot password?</Link>
      </p>
      <p className="aside">
        New here? <Link href={SIGN_UP_PATH}>Create account</Link>
      </p>
    </section>
  );
}
