// Tessera's /account (app/account/page.tsx): its own AccountSummary, from fixed data instead of a session.
import { AccountSummary } from "../../../../../app/_components/account-summary";
import { ResendConfirmation } from "../../resend-confirmation";
import { FIXED_PERSON } from "../../fixed-person";

export const metadata = { title: "Your account" };

export default function AccountPage() {
  return (
    <AccountSummary
      user={FIXED_PERSON}
      // A server component renders once per request: the expiry is this request's, as on /account.
      // eslint-disable-next-line react-hooks/purity
      sessionExpiresAt={new Date(Math.floor(Date.now() / 1000) * 1000 + 86_400_000)}
      resendConfirmation={<ResendConfirmation />}
    />
  );
}
