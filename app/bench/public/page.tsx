// The benchmark's public twin of /account (bench/figures/middleware-overhead.mjs): the same markup, rendered per
// request from fixed data, with no session lookup, so that /account against this page measures what the session
// check costs a request and nothing else. Not part of the app: a 404 unless the server was started with
// BENCH_PUBLIC_PAGE=1, which only the benchmark's server does. Keep it in step with app/account/page.tsx.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { signOut } from "../../actions";
import { SubmitButton } from "../../_components/submit-button";
import { formatDateTime } from "../../_components/format";

export const metadata: Metadata = { title: "Your account" };

const user = { email: "bench-0000000000000-aaaaaa@example.com", createdAt: new Date("2026-11-25T04:00:00.000Z"), role: "user" };

export default async function BenchPublicAccountPage() {
  if (process.env.BENCH_PUBLIC_PAGE !== "1") notFound();
  // A session expiry as /account shows it: a day from now, as for a token just issued.
  const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 86_400_000);
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
          <time dateTime={expiresAt.toISOString()} data-testid="session-expiry">
            {formatDateTime(expiresAt)}
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
}
