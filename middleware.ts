// The fast first gate, on the edge runtime: verifies the session cookie's signature and claims on every request
// but static assets. It cannot see the database, so it never decides alone: pages, server actions and route
// handlers ask the data access layer (lib/auth.server.ts), which also checks the denylist.
import { NextResponse, type NextRequest } from "next/server";
import { sessionConfig } from "./lib/config";
import { refuseMalformedFormPost } from "./lib/form-post-guard";
import { isProtectedPath, signInPathFor } from "./lib/routes";
import { expiredSessionCookieAttributes } from "./lib/session/cookie";
import { verifySessionToken } from "./lib/session/token";

export async function middleware(request: NextRequest): Promise<Response> {
  const refused = await refuseMalformedFormPost(request);
  if (refused) return refused;

  const config = sessionConfig();
  const token = request.cookies.get(config.cookieName)?.value;
  const signedIn = token !== undefined && (await verifySessionToken(token, config).then(() => true, () => false));

  const { pathname, search } = request.nextUrl;
  let response: NextResponse;
  if (!signedIn && isProtectedPath(pathname)) {
    response = NextResponse.redirect(new URL(signInPathFor(`${pathname}${search}`), request.url), 307);
  } else if (token !== undefined && !signedIn) {
    // Hide the bad cookie from this request's render too, not only from the next request.
    request.cookies.delete(config.cookieName);
    response = NextResponse.next({ request: { headers: request.headers } });
  } else {
    response = NextResponse.next();
  }
  if (token !== undefined && !signedIn) {
    response.cookies.set(config.cookieName, "", expiredSessionCookieAttributes(config));
  }
  return response;
}

export const config = {
  // Everything but Next's static assets and the favicon.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
