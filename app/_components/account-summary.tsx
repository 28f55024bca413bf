import Link from "next/link";
import { DateTime } from "./date-time";
import { ACTIVITY_PATH, ADMIN_PATH, CHANGE_EMAIL_PATH, CHANGE_PASSWORD_PATH, DELETE_ACCOUNT_PATH, SECURITY_PATH, SESSIONS_PATH } from "@/lib/routes";

interface AccountSummaryProps {
  user: { email: string; createdAt: Date; role: string; emailVerifiedAt: Date | null; passwordBreachedAt?: Date | null };
  /** When this session's current token expires: each visit moves it forward. */
  sessionExpiresAt: Date;
  /**
   * Shown while the email is unconfirmed: the "Send the link again" form. Passed in, so that this component
   * imports no server action and the benchmark's baselines can render it with stand-ins.
   */
  resendConfirmation?: React.ReactNode;
}

/** The account page's content; also rendered by the benchmark's public twin (app/bench/public), so they match. */
export function AccountSummary({ user, sessionExpiresAt, resendConfirmation }: AccountSummaryProps) {
  return (
    // Wider than the forms' cards: the facts sit beside their names, and an email of 40 characters fits on one line.
    <section className="card">
      <h1>Your account</h1>
      {user.passwordBreachedAt ? (
        <p className="form-error" data-testid="breached-password-notice">
          Your password has appeared in a data breach. <Link href="/account/password">Change it.</Link>
        </p>
      ) : null}
      <dl className="facts">
        <dt>Signed in as</dt>
        <dd data-testid="account-email" className="email-fact">
          <span>{user.email}</span>
        </dd>
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
      {user.emailVerifiedAt ? null : <div className="resend">{resendConfirmation}</div>}
      {/* "Sign out" is in the header (app/_components/site-header.tsx), as on every signed-in page. */}
      <nav aria-label="Account settings" className="link-list">
        <Link href={SESSIONS_PATH}>Your sessions</Link>
        <Link href={ACTIVITY_PATH}>Security activity</Link>
        <Link href={SECURITY_PATH}>Sign-in security</Link>
        <Link href={CHANGE_PASSWORD_PATH}>Change password</Link>
        <Link href={CHANGE_EMAIL_PATH}>Change email</Link>
        <Link href={DELETE_ACCOUNT_PATH}>Delete account</Link>
        {user.role === "admin" ? <Link href={ADMIN_PATH}>Administration</Link> : null}
      </nav>
    </section>
  );
}
