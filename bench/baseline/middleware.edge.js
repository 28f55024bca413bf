// The empty edge middleware of baseline (b): Next.js runs it on the edge runtime for every request Tessera's
// middleware sees (the same matcher), and it changes nothing. Built only with BASELINE_MIDDLEWARE=1.
import { NextResponse } from "next/server";

export function middleware() {
  return NextResponse.next();
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
