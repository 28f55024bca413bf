import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ResendConfirmation } from "../../_components/resend-confirmation";
import { withDatabase } from "../../_components/with-database";
import { ACCOUNT_PATH, CONFIRM_EMAIL_PATH } from "@/lib/routes";
import { requireUser } from "@/lib/sessions/data-access.server";

export const metadata: Metadata = { title: "Confirm your email" };

/** With REQUIRE_EMAIL_VERIFICATION on, the only page an unconfirmed account sees (the data access layer sends it here). */
export default withDatabase(CONFIRM_EMAIL_PATH, async function ConfirmEmailPage() {
  const user = await requireUser(CONFIRM_EMAIL_PATH, { unconfirmedEmail: "allow" });
  if (user.emailVerifiedAt !== null) redirect(ACCOUNT_PATH);
  return (
    <section className="card narrow">
      <h1>Confirm your email</h1>
      <p>
        Before you go on, open the link we mailed to <strong>{user.email}</strong>. It can take a minute to arrive;
        look in your spam folder too.
      </p>
      <ResendConfirmation />
    </section>
  );
});
