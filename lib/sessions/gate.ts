// The fast first gate, for every request but static assets, written once for both of Next.js's gate files: the
// edge runtime's middleware.ts (the default) and Node.js's proxy.ts (docs/decisions/0012-the-gate-on-next-16.md).
// It uses only what both runtimes have (Web Crypto through jose; no node: modules, no database):
// - refuses page posts that are forged or malformed (lib/http/csrf-guard.ts);
// - verifies the session cookie's signature and claims, sends signed-out requests for protected pages to sign
//   in (and one-factor admins from /admin to set up a second factor), deletes a bad cookie, and renews a good one;
// - puts the security headers and a fresh CSP nonce on every response, but for a signed-out person's plain GET of
//   a prerendered page (lib/http/prerendered-pages.ts), served as built under a policy of its scripts' hashes.
// It cannot see the database, so it never decides alone: pages, server actions and route handlers ask the data
// access layer (lib/sessions/data-access.server.ts), which also checks that the session has not been ended.
import { NextResponse, type NextRequest } from "next/server";
import { isProduction, sessionConfig, stepUpConfig } from "../config";
import { refuseMalformedFormPost } from "../http/csrf-guard";
import { adminFactorSetupPathFor, isAdminPath, isApiPath, isProtectedPath, REQUEST_PATH_HEADER, requestPathOf, signInPathFor } from "../routes";
import { isMultiFactor } from "../tokens/sign-in-methods";
import { newNonce, securityHeaders } from "../http/security-headers";
import { isPrerenderedRoute, PRERENDERED_PAGE_HEADER, prerenderedPageFor } from "../http/prerendered-pages";
import { linkTokenCookie, type LinkTokenCookie } from "../http/link-token-cookie";
import { expiredSessionCookieAttributes, sessionCookieAttributes } from "./cookie";
import { renewSessionToken, type SessionClaims } from "../tokens/jwt";
import { verifiedTokenCacheFor, verifySessionTokenCached } from "../tokens/verified-token-cache";

/** The gate: what middleware.ts (or proxy.ts) answers for `request`. */
export async function gate(request: NextRequest): Promise<Response> {
  if (isPrerenderedRoute(request.nextUrl.pathname)) return notFound();
  // Only this gate asks for a prerendered page (next.config.mjs rewrites on it), never a client.
  request.headers.delete(PRERENDERED_PAGE_HEADER);
  const prerendered = prerenderedPageFor(request, request.cookies.has(sessionConfig().cookieName));
  if (prerendered) return servedPrerendered(request, prerendered);
  const nonce = newNonce();
  const headers = securityHeaders({ nonce }, isProduction());
  // Next.js reads the policy from the request to put the nonce on the scripts it renders.
  request.headers.set("content-security-policy", headers["Content-Security-Policy"]!);
  // Overwrites whatever a client sent under that name: the data access layer trusts it as a return path only.
  request.headers.set(REQUEST_PATH_HEADER, requestPathOf(request.nextUrl));
  const linkCookie = linkTokenCookie(request.nextUrl.pathname, isProduction());
  // A page that a mailed link opens never tells another site where it was: not even its bare path.
  if (linkCookie) headers["Referrer-Policy"] = "no-referrer";
  const response =
    (await refuseMalformedFormPost(request)) ??
    (linkCookie ? tokenMovedToCookie(request, linkCookie) : null) ??
    (await sessionGate(request));
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/**
 * A signed-out person's page as `next build` made it (lib/http/prerendered-pages.ts): the request goes on marked
 * for next.config.mjs's rewrite to it, no render, and a policy that allows its inline scripts by their hashes.
 * No cache keeps it, as none keeps a page rendered per request: the same address answers someone signed in with
 * their own page, and a sign-in form kept for Back would come back with what was typed into it.
 */
function servedPrerendered(request: NextRequest, page: { route: string; hashes: readonly string[] }): Response {
  request.headers.set(PRERENDERED_PAGE_HEADER, page.route);
  const response = forward(request);
  for (const [name, value] of Object.entries(securityHeaders({ hashes: page.hashes }, isProduction()))) response.headers.set(name, value);
  response.headers.set("Cache-Control", "no-store");
  return response;
}

/** The prerendered routes' own addresses: reachable only through the rewrite above. */
function notFound(): Response {
  const response = new NextResponse("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  for (const [name, value] of Object.entries(securityHeaders({ nonce: newNonce() }, isProduction()))) response.headers.set(name, value);
  return response;
}

async function sessionGate(request: NextRequest): Promise<Response> {
  const config = sessionConfig();
  const { pathname, search } = request.nextUrl;
  const token = request.cookies.get(config.cookieName)?.value;
  // A signed-in person sends the same cookie request after request: a token that verified before skips the HMAC.
  const claims =
    token === undefined ? null : await verifySessionTokenCached(token, config, verifiedTokenCacheFor(config)).catch(() => null);

  if (claims === null) {
    if (isProtectedPath(pathname)) {
      // 307 keeps a GET a GET; a post (a server action) is answered 303, so the browser fetches the sign-in page
      // instead of posting the form to it again.
      const status = request.method === "GET" || request.method === "HEAD" ? 307 : 303;
      const response = NextResponse.redirect(new URL(signInPathFor(`${pathname}${search}`), request.url), status);
      if (token !== undefined) response.cookies.set(config.cookieName, "", expiredSessionCookieAttributes(config));
      return response;
    }
    if (token === undefined) return forward(request);
    // Hide the bad cookie from this request's render too, not only from the next request.
    request.cookies.delete(config.cookieName);
    const response = forward(request);
    response.cookies.set(config.cookieName, "", expiredSessionCookieAttributes(config));
    return response;
  }
  // An admin whose session took one factor sets up a second before /admin opens (the data access layer, which
  // reads the role from the database, decides for good; the token's amr lets this gate say so without it).
  if (isAdminPath(pathname) && claims.role === "admin" && stepUpConfig().requireMfaForAdmins && !isMultiFactor(claims.amr)) {
    return NextResponse.redirect(new URL(adminFactorSetupPathFor(`${pathname}${search}`), request.url), 303);
  }
  const response = isApiPath(pathname) ? forward(request) : await renewed(request, claims);
  // A page rendered for a signed-in person is theirs alone: no cache may keep it.
  response.headers.set("Cache-Control", "no-store");
  return response;
}

/**
 * A mailed link's first request (`/reset-password?token=…`): the token goes into its cookie and the browser to
 * the bare path, before anything renders. Only a GET spends nothing, so this never spends a token either.
 */
function tokenMovedToCookie(request: NextRequest, cookie: LinkTokenCookie): NextResponse | null {
  const token = request.nextUrl.searchParams.get("token");
  if (token === null || (request.method !== "GET" && request.method !== "HEAD")) return null;
  const bare = new URL(request.nextUrl.pathname, request.url);
  const response = NextResponse.redirect(bare, 303);
  const { name, ...attributes } = cookie;
  response.cookies.set(name, token.slice(0, 256), attributes);
  return response;
}

/** Passes the request on, with whatever this middleware changed in its headers (cookies, CSP). */
function forward(request: NextRequest): NextResponse {
  return NextResponse.next({ request: { headers: request.headers } });
}

/**
 * Activity renews the cookie: a fresh token for the same session once the current one is old enough. The new
 * token goes on the forwarded request as well as the response, so this request's render sees the cookie the
 * browser will hold. Tabs renewing at once each get a valid token; none is revoked by another's renewal.
 */
async function renewed(request: NextRequest, claims: SessionClaims): Promise<NextResponse> {
  const config = sessionConfig();
  const renewal = await renewSessionToken(claims, config);
  if (!renewal) return forward(request);
  request.cookies.set(config.cookieName, renewal.token);
  const response = forward(request);
  response.cookies.set(config.cookieName, renewal.token, sessionCookieAttributes(config));
  return response;
}
