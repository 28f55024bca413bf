import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ActionForm } from "../../_components/action-form";
import { CREDENTIAL_FIELDS } from "../../_lib/credential-fields";
import { withDatabase } from "../../_components/with-database";
import { readPendingSignInCookie } from "@/lib/factors/pending-cookie.server";
import { findPendingSignIn } from "@/lib/factors/pending-sign-ins.server";
import { signInWithNotice, VERIFY_SIGN_IN_PATH } from "@/lib/routes";
import { cancelSignIn, verifyWithCode, verifyWithRecoveryCode } from "./actions";

export const metadata: Metadata = { title: "Two-step sign-in" };

type SearchParams = Promise<{ with?: string | string[] }>;

export default withDatabase(VERIFY_SIGN_IN_PATH, async function VerifySignInPage({ searchParams }: { searchParams: SearchParams }) {
  // Only a live pending sign-in opens this page; without one (expired, used up, never made) the password comes first.
  const pending = await findPendingSignIn(await readPendingSignInCookie());
  if (!pending) redirect(signInWithNotice("sign-in-again"));
  const recovery = (await searchParams).with === "recovery-code";
  return (
    <section className="card narrow">
      <h1>Two-step sign-in</h1>
      {recovery ? (
        <>
          <p>Enter one of the recovery codes you saved when you set up your authenticator app. Each one works once.</p>
          <ActionForm key="recovery-code" action={verifyWithRecoveryCode} fields={CREDENTIAL_FIELDS.recoveryCode} submitLabel="Verify" />
          <p className="aside">
            <Link href={VERIFY_SIGN_IN_PATH}>Use a code from your app</Link>
          </p>
        </>
      ) : (
        <>
          <p>Enter the 6-digit code your authenticator app shows for Tessera.</p>
          <ActionForm key="code" action={verifyWithCode} fields={CREDENTIAL_FIELDS.totpCode} submitLabel="Verify" />
          <p className="aside">
            <Link href={`${VERIFY_SIGN_IN_PATH}?with=recovery-code`}>Use a recovery code</Link>
          </p>
        </>
      )}
      <form action={cancelSignIn} className="aside">
        <button type="submit" className="button button-quiet">
          Cancel
        </button>
      </form>
    </section>
  );
});
