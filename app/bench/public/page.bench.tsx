// The benchmark's public twin of /account (bench/figures/middleware-overhead.mjs): the same component, with no
// session check, so that /account against this page measures what the session check costs a request and nothing
// else. Not part of the app: the `.bench.tsx` extension keeps it out of every build but the benchmark's own
// (next.config.mjs), since with ?email= it shows anyone's account summary. Even there it is a 404 unless the
// server was started with BENCH_PUBLIC_PAGE=1, as only the benchmark's server is. e2e/security/requests.spec.ts
// checks that the product's build has no such page.
// Two forms of it: from fixed data (no await at all), and, with ?email=, from the person's record read from the
// database by email (one indexed lookup), awaited as /account awaits its data.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AccountSummary } from "../../_components/account-summary";
import { ResendConfirmation } from "../../_components/resend-confirmation";
import { findUserByEmail } from "@/lib/users/store.server";

export const metadata: Metadata = { title: "Your account" };

const FIXED_USER = { email: "bench-0000000000000-aaaaaa@example.com", createdAt: new Date("2026-11-25T04:00:00.000Z"), role: "user", emailVerifiedAt: null };

export default async function BenchPublicAccountPage({ searchParams }: { searchParams: Promise<{ email?: string }> }) {
  if (process.env.BENCH_PUBLIC_PAGE !== "1") notFound();
  const { email } = await searchParams;
  const user = email ? await findUserByEmail(email) : FIXED_USER;
  if (!user) notFound();
  // A session expiry as /account shows it: a day from now, as for a token just issued.
  return (
    <AccountSummary
      user={user}
      // A server component renders once per request: the expiry is this request's, as on /account.
      // eslint-disable-next-line react-hooks/purity
      sessionExpiresAt={new Date(Math.floor(Date.now() / 1000) * 1000 + 86_400_000)}
      resendConfirmation={<ResendConfirmation />}
    />
  );
}
