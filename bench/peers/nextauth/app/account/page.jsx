// The protected page: Tessera's AccountSummary for whoever next-auth's session names.
import { redirect } from "next/navigation";
import { AccountSummary } from "../../../../../app/_components/account-summary";
import { ResendConfirmation } from "../../../../baseline/app/resend-confirmation";
import { currentSession } from "../session";

export const metadata = { title: "Your account" };

// next-auth keeps no account record here: the date an account was made is fixed, as in the baseline.
const CREATED_AT = new Date("2026-11-25T04:00:00.000Z");

export default async function AccountPage() {
  const session = await currentSession();
  if (!session?.user) redirect("/sign-in");
  // Unconfirmed, as the benchmark's Tessera people are: the same markup, "Send the link again" included.
  return <AccountSummary user={{ email: session.user.email, createdAt: CREATED_AT, role: "user", emailVerifiedAt: null }} sessionExpiresAt={new Date(session.expires)} resendConfirmation={<ResendConfirmation />} />;
}
