import type { Metadata } from "next";
import { withDatabase } from "../../_components/with-database";
import { requireSession } from "@/lib/sessions/data-access.server";
import Link from "next/link";
import { ADMIN_PATH, SECURITY_PATH, safeReturnPath } from "@/lib/routes";
import { amrOf, isMultiFactor } from "@/lib/tokens/sign-in-methods";
import { PasskeysSection } from "./passkeys-section";
import { TotpSection } from "./totp-section";
import { ConnectedAccounts } from "./connected-accounts";

export const metadata: Metadata = { title: "Sign-in security" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default withDatabase(SECURITY_PATH, async function SecurityPage({ searchParams }: Props) {
  const session = await requireSession(SECURITY_PATH);
  const { required, next, notice, provider } = await searchParams;
  const twoFactor = isMultiFactor(amrOf(session.method));
  return (
    <section className="card">
      <h1>Sign-in security</h1>
      {required === "admin" && !twoFactor ? (
        <p role="alert" className="form-notice">
          Admin pages need a second factor. Set up an authenticator app or add a passkey, then open them again.
        </p>
      ) : null}
      {required === "admin" && twoFactor ? (
        <p role="status" className="form-notice">
          This session now has two factors. <Link href={safeReturnPath(next, ADMIN_PATH)}>Continue to the admin pages</Link>
        </p>
      ) : null}
      <p>A second factor keeps your account safe even if someone learns your password.</p>
      <TotpSection session={session} />
      <PasskeysSection session={session} notice={notice} />
      <ConnectedAccounts session={session} notice={notice} provider={provider} />
    </section>
  );
});
