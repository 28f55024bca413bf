// The fast first gate, on the edge runtime: verifies the session cookie's signature and claims on every request
// but static assets, and renews it while it is in use. It cannot see the database, so it never decides alone:
// pages, server actions and route handlers ask the data access layer (lib/auth.server.ts), which also checks
// that the session has not been ended.
import { NextResponse, type NextRequest } from "next/server";
import { sessionConfig } from "./lib/config";
import { refuseMalformedFormPost } from "./lib/form-post-guard";
import { isApiPath, isProtectedPath, signInPathFor } from "./lib/routes";
import { expiredSessionCookieAttributes, sessionCookieAttributes } from "./lib/session/cookie";
import { renewSessionToken, type SessionClaims } from "./lib/session/token";
import { createVerifiedTokenCache, verifySessionTokenCached } from "./lib/session/verified-token-cache";

// A signed-in person sends the same cookie request after request: remember tokens that verified (never failures)
// instead of paying the HMAC again. One cache for the process's one configuration.
const verifiedTokens = createVerifiedTokenCache();

export async function middleware(request: NextRequest): Promise<Response> {
  const refused = await refuseMalformedFormPost(request);
  if (refused) return refused;

  const config = sessionConfig();
  const { pathname, search } = request.nextUrl;
  const token = request.cookies.get(config.cookieName)?.value;
  const claims = token === undefined ? null : await verifySessionTokenCached(token, config, verifiedTokens).catch(() => null);

  if (claims === null) {
    if (isProtectedPath(pathname)) {
      const response = NextResponse.redirect(new URL(signInPathFor(`${pathname}${search}`), request.url), 307);
      if (token !== undefined) response.cookies.set(config.cookieName, "", expiredSessionCookieAttributes(config));
      return response;
    }
    if (token === undefined) return NextResponse.next();
    // Hide the bad cookie from this request's render too, not only from the next request.
    request.cookies.delete(config.cookieName);
    const response = NextResponse.next({ request: { headers: request.headers } });
    response.cookies.set(config.cookieName, "", expiredSessionCookieAttributes(config));
    return response;
  }
  return isApiPath(pathname) ? NextResponse.next() : renewed(request, claims);
}

/**
 * Activity renews the cookie: a fresh token for the same session once the current one is old enough. The new
 * token goes on the forwarded request as well as the response, so this request's render sees the cookie the
 * browser will hold. Tabs renewing at once each get a valid token; none is revoked by another's renewal.
 */
async function renewed(request: NextRequest, claims: SessionClaims): Promise<NextResponse> {
  const config = sessionConfig();
  const renewal = await renewSessionToken(claims, config);
  if (!renewal) return NextResponse.next();
  request.cookies.set(config.cookieName, renewal.token);
  const response = NextResponse.next({ request: { headers: request.headers } });
  response.cookies.set(config.cookieName, renewal.token, sessionCookieAttributes(config));
  return response;
}

export const config = {
  // Everything but Next's static assets and the favicon.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
