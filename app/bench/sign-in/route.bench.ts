// The benchmark's floor for a sign-in as a route handler (bench/figures/sign-in-cpu.mjs): the floor's work
// (./floor.server.ts) with nothing around it, no server action and no render. The CPU a real sign-in spends beyond
// this is what that benchmark reports.
// Not part of the app: the `.bench.ts` extension keeps it out of every build but the benchmark's own
// (next.config.mjs), since it makes a session for any password it is given without counting the attempt. Even
// there it is a 404 unless the server was started with BENCH_SIGN_IN_ROUTE=1, as only the benchmark's server is.
// e2e/security/requests.spec.ts checks that the product's build has no such route.
import { floorEnabled, floorSignIn } from "./floor.server";

export async function POST(request: Request): Promise<Response> {
  if (!floorEnabled()) return new Response(null, { status: 404 });
  const { email, password } = (await request.json()) as { email: string; password: string };
  return new Response(null, { status: (await floorSignIn(email, password, request.headers)) ? 204 : 401 });
}
