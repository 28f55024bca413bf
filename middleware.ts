// The edge gate: Next.js runs this on the edge runtime before every request but static assets. What it checks
// is lib/sessions/gate.ts, shared with the Node.js variant (proxy.ts); why the edge runtime stays the default, and
// how to switch, is docs/decisions/0012-the-gate-on-next-16.md.
import type { NextRequest } from "next/server";
import { gate } from "./lib/sessions/gate";

export function middleware(request: NextRequest): Promise<Response> {
  return gate(request);
}

export const config = {
  // Everything but Next's static assets and the favicon.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
