// The protected page: Tessera's AccountSummary for whoever next-auth's session names.
import { redirect } from "next/navigation";
import { AccountSummary } from "../../../../../app/_components/account-summary";
import { currentSession } from "../session";

export const metadata = { title: "Your account" };

// next-auth keeps no account record here: the date an account was made is fixed, as in the baseline.
const CREATED_AT = new Date("2026-11-25T04:00:00.000Z");

export default async function AccountPage() {
  const session = await currentSession();
  if (!session?.user) redirect("/sign-in");
  return <AccountSummary user={{ email: session.user.email, createdAt: CREATED_AT, role: "user" }} sessionExpiresAt={new Date(session.expires)} />;
}
