import type { Metadata } from "next";
import Link from "next/link";
import { signOut } from "../actions";
import { SubmitButton } from "../_components/submit-button";
import { withDatabase } from "../_components/with-database";
import { requireSession } from "@/lib/auth.server";
import { ACCOUNT_PATH } from "@/lib/routes";
import { formatDateTime } from "../_components/format";

export const metadata: Metadata = { title: "Your account" };

export default withDatabase(ACCOUNT_PATH, async function AccountPage() {
  const { user, claims } = await requireSession(ACCOUNT_PATH);
  return (
    <section className="card narrow">
      <h1>Your account</h1>
      <dl className="facts">
        <dt>Signed in as</dt>
        <dd data-testid="account-email">{user.email}</dd>
        <dt>Account created</dt>
        <dd>
          <time dateTime={user.createdAt.toISOString()}>{formatDateTime(user.createdAt)}</time>
        </dd>
        <dt>Signed in until</dt>
        <dd>
          {/* The cookie this very request carries, renewed or not: each visit moves it forward. */}
          <time dateTime={claims.expiresAt.toISOString()} data-testid="session-expiry">
            {formatDateTime(claims.expiresAt)}
          </time>{" "}
          if unused
        </dd>
      </dl>
      <nav aria-label="Account" className="link-list">
        <Link href="/account/sessions">Your sessions</Link>
        <Link href="/account/password">Change password</Link>
        <Link href="/account/delete">Delete account</Link>
        {user.role === "admin" ? <Link href="/admin">Administration</Link> : null}
      </nav>
      <form action={signOut}>
        <SubmitButton variant="quiet">Sign out</SubmitButton>
      </form>
    </section>
  );
});
