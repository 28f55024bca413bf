import Link from "next/link";
import { DateTime } from "./date-time";
import { ResendConfirmation } from "./resend-confirmation";

interface AccountSummaryProps {
  user: { email: string; createdAt: Date; role: string; emailVerifiedAt: Date | null };
  /** When this session's current token expires: each visit moves it forward. */
  sessionExpiresAt: Date;
}

/** The account page's content; also rendered by the benchmark's public twin (app/bench/public), so they match. */
export function AccountSummary({ user, sessionExpiresAt }: AccountSummaryProps) {
  return (
    <section className="card narrow">
      <h1>Your account</h1>
      <dl className="facts">
        <dt>Signed in as</dt>
        <dd data-testid="account-email">{user.email}</dd>
        <dt>Email</dt>
        <dd data-testid="email-status">{user.emailVerifiedAt ? "Confirmed" : "Not confirmed yet: open the link we mailed you"}</dd>
        <dt>Account created</dt>
        <dd>
          <DateTime date={user.createdAt} />
        </dd>
        <dt>Signed in until</dt>
        <dd>
          <DateTime date={sessionExpiresAt} testId="session-expiry" />{" "}
          if unused
        </dd>
      </dl>
      {user.emailVerifiedAt ? null : <ResendConfirmation />}
      {/* "Sign out" is in the header (app/_components/site-header.tsx), as on every signed-in page. */}
      <nav aria-label="Account settings" className="link-list">
        <Link href="/account/sessions">Your sessions</Link>
        <Link href="/account/password">Change password</Link>
        <Link href="/account/email">Change email</Link>
        <Link href="/account/delete">Delete account</Link>
        {user.role === "admin" ? <Link href="/admin">Administration</Link> : null}
      </nav>
    </section>
  );
}
