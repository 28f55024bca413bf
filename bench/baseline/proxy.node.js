// The empty Node.js proxy of figure 8's Node.js baseline: Next.js 16 runs it on the Node.js runtime for every
// request Tessera's gate sees (the same matcher), and it changes nothing. Built only with BASELINE_PROXY=1.
import { NextResponse } from "next/server";

export function proxy() {
  return NextResponse.next();
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
