import "server-only";
// Figure 12's floor (bench/figures/sign-in-cpu.mjs): only what a sign-in cannot do without, the same password
// check (the stored hash read by email, argon2id verify in the app's hashing slot) and the same session insert.
// No throttle, no log line, no token, no cookie. Two benchmark-only doors lead here: a route handler
// (app/bench/sign-in/route.bench.ts) and a server action (app/bench/sign-in-action/), so that the figure can tell
// what Next.js's server action costs from what Tessera's sign-in adds.
import { db } from "@/lib/db/db.server";
import { clientInfoFrom } from "@/lib/http/client-info";
import { verifyPassword } from "@/lib/passwords/hashing.server";
import { createSession } from "@/lib/sessions/store.server";

/**
 * Whether this server may answer the floor's doors: only the benchmark's server is started with
 * BENCH_SIGN_IN_ROUTE=1, since they make a session for any right password without counting the attempt.
 */
export function floorEnabled(): boolean {
  return process.env.BENCH_SIGN_IN_ROUTE === "1";
}

/** Opens a session for a right password (true), or nothing (false). */
export async function floorSignIn(email: string, password: string, requestHeaders: Headers): Promise<boolean> {
  const found = await db.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
  if (!found || !(await verifyPassword(found.passwordHash, password))) return false;
  await createSession({ userId: found.id, kind: "browser", client: clientInfoFrom(requestHeaders) });
  return true;
}
