// The benchmark's public twin of /account (bench/figures/middleware-overhead.mjs): the same component, rendered
// per request from fixed data, with no session lookup, so that /account against this page measures what the
// session check costs a request and nothing else. Not part of the app: a 404 unless the server was started with
// BENCH_PUBLIC_PAGE=1, which only the benchmark's server does.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AccountSummary } from "../../_components/account-summary";

export const metadata: Metadata = { title: "Your account" };

const user = { email: "bench-0000000000000-aaaaaa@example.com", createdAt: new Date("2026-11-25T04:00:00.000Z"), role: "user" };

export default async function BenchPublicAccountPage() {
  if (process.env.BENCH_PUBLIC_PAGE !== "1") notFound();
  // A session expiry as /account shows it: a day from now, as for a token just issued.
  return <AccountSummary user={user} sessionExpiresAt={new Date(Math.floor(Date.now() / 1000) * 1000 + 86_400_000)} />;
}
