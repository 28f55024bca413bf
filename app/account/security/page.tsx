import type { Metadata } from "next";
import { withDatabase } from "../../_components/with-database";
import { requireSession } from "@/lib/sessions/data-access.server";
import { SECURITY_PATH } from "@/lib/routes";
import { PasskeysSection } from "./passkeys-section";
import { TotpSection } from "./totp-section";

export const metadata: Metadata = { title: "Sign-in security" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default withDatabase(SECURITY_PATH, async function SecurityPage({ searchParams }: Props) {
  const session = await requireSession(SECURITY_PATH);
  const { required } = await searchParams;
  return (
    <section className="card">
      <h1>Sign-in security</h1>
      {required === "admin" ? (
        <p role="alert" className="form-notice">
          Admin pages need a second factor. Set up an authenticator app or add a passkey, then open them again.
        </p>
      ) : null}
      <p>A second factor keeps your account safe even if someone learns your password.</p>
      <TotpSection session={session} />
      <PasskeysSection session={session} />
    </section>
  );
});
