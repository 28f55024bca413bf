import type { Metadata } from "next";
import { AccountSummary } from "../_components/account-summary";
import { ResendConfirmation } from "../_components/resend-confirmation";
import { withDatabase } from "../_components/with-database";
import { requireSession } from "@/lib/sessions/data-access.server";
import { ACCOUNT_PATH } from "@/lib/routes";

export const metadata: Metadata = { title: "Your account" };

export default withDatabase(ACCOUNT_PATH, async function AccountPage() {
  const { user, claims } = await requireSession(ACCOUNT_PATH);
  // The expiry of the cookie this very request carries, renewed by middleware or not.
  return <AccountSummary user={user} sessionExpiresAt={claims.expiresAt} resendConfirmation={<ResendConfirmation />} />;
});
