// The sign-in page with the floor's work as its password action (bench/figures/sign-in-cpu.mjs): the same card,
// the same form post and the same server action machinery as /sign-in, so that figure 12 can tell Next.js's price
// for a server action from what Tessera's sign-in does beyond the floor. Not part of the app: the `.bench.tsx`
// extension keeps it out of every build but the benchmark's own (next.config.mjs), and even there it is a 404
// unless the server was started with BENCH_SIGN_IN_ROUTE=1. e2e/security/requests.spec.ts checks that the
// product's build has no such page.
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { SIGN_IN_ACTIONS } from "../../sign-in/card-actions";
import { SignInCard, signInMetadata } from "../../sign-in/sign-in-card";
import { floorEnabled } from "../sign-in/floor.server";
import { signInFloor } from "./actions";
import { ACCOUNT_PATH } from "@/lib/routes";

export const metadata = signInMetadata;

export default async function BenchSignInActionPage() {
  // Rendered per request, as /sign-in is, and never at build time, when the benchmark's variable is unset.
  await connection();
  if (!floorEnabled()) notFound();
  return <SignInCard returnTo={ACCOUNT_PATH} announcement={null} actions={{ ...SIGN_IN_ACTIONS, password: signInFloor }} />;
}
