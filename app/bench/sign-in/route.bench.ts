// The benchmark's floor for a sign-in (bench/figures/sign-in-cpu.mjs): only what a sign-in cannot do
// without, the same password check (the stored hash read by email, argon2id verify in the app's hashing slot) and
// the same session insert, with nothing around them: no server action, no throttle, no log line, no token, no
// cookie, no render. The CPU a real sign-in spends beyond this is what that benchmark reports.
// Not part of the app: the `.bench.ts` extension keeps it out of every build but the benchmark's own
// (next.config.mjs), since it makes a session for any password it is given without counting the attempt. Even
// there it is a 404 unless the server was started with BENCH_SIGN_IN_ROUTE=1, as only the benchmark's server is.
// e2e/security/requests.spec.ts checks that the product's build has no such route.
import { db } from "@/lib/db/db.server";
import { clientInfoFrom } from "@/lib/http/client-info";
import { verifyPassword } from "@/lib/passwords/hashing.server";
import { createSession } from "@/lib/sessions/store.server";

export async function POST(request: Request): Promise<Response> {
  if (process.env.BENCH_SIGN_IN_ROUTE !== "1") return new Response(null, { status: 404 });
  const { email, password } = (await request.json()) as { email: string; password: string };
  const found = await db.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
  if (!found || !(await verifyPassword(found.passwordHash, password))) return new Response(null, { status: 401 });
  await createSession({ userId: found.id, kind: "browser", client: clientInfoFrom(request.headers) });
  return new Response(null, { status: 204 });
}
