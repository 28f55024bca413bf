// better-auth's documented middleware for Next.js 15: an optimistic check that a session cookie is there at all
// (the edge cannot reach the database); the page checks the session itself. Tessera's matcher.
import { NextResponse } from "next/server";
import { getSessionCookie } from "better-auth/cookies";

export function middleware(request) {
  if (request.nextUrl.pathname.startsWith("/account") && !getSessionCookie(request)) {
    return NextResponse.redirect(new URL("/sign-in", request.url));
  }
  return NextResponse.next();
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
