// Which paths need a session, and where sign-in may send a person afterwards. Pure: used by middleware (edge),
// the data access layer and the forms.

export const HOME_PATH = "/";
export const SIGN_IN_PATH = "/sign-in";
export const SIGN_UP_PATH = "/sign-up";
export const ACCOUNT_PATH = "/account";
export const ADMIN_PATH = "/admin";
/** Where pages send people while the database is out of reach (503). */
export const UNAVAILABLE_PATH = "/unavailable";

const PROTECTED_PREFIXES = [ACCOUNT_PATH, ADMIN_PATH];

export function isProtectedPath(pathname: string): boolean {
  return PROTECTED_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/** Route handlers for API clients: they authenticate with Bearer tokens, never the cookie. */
export function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}

/** `/sign-in?next=%2Faccount`: where a signed-out request for a protected path goes. */
export function signInPathFor(returnTo: string): string {
  return `${SIGN_IN_PATH}?${new URLSearchParams({ next: returnTo })}`;
}

const ORIGIN_PROBE = "http://origin.invalid";

/**
 * The same-origin path to go to after signing in, or the account page. Refuses anything a browser could read
 * as another origin: `//host`, `/\host`, `https:…`, `javascript:`, and paths with control characters or
 * backslashes (browsers treat `\` as `/`).
 */
export function safeReturnPath(next: unknown, fallback: string = ACCOUNT_PATH): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 2048) return fallback;
  if (!next.startsWith("/") || next.startsWith("//")) return fallback;
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, ORIGIN_PROBE);
  } catch {
    return fallback;
  }
  if (url.origin !== ORIGIN_PROBE) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
