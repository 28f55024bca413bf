// Which paths need a session, and where sign-in may send a person afterwards. Pure: used by middleware (edge),
// the data access layer and the forms.

export const HOME_PATH = "/";
export const SIGN_IN_PATH = "/sign-in";
export const SIGN_UP_PATH = "/sign-up";
export const ACCOUNT_PATH = "/account";
export const ADMIN_PATH = "/admin";
export const FORGOT_PASSWORD_PATH = "/forgot-password";
/** Mailed links: their token moves from the address into a cookie scoped to the path (middleware.ts). */
export const RESET_PASSWORD_PATH = "/reset-password";
export const VERIFY_EMAIL_PATH = "/verify-email";
/** "This wasn't me": from a new-sign-in mail (its token), or beside a sign-in on ACTIVITY_PATH (the session). */
export const WASNT_ME_PATH = "/wasnt-me";
/** Where a signed-in person with an unconfirmed email waits when REQUIRE_EMAIL_VERIFICATION is on. */
export const CONFIRM_EMAIL_PATH = "/account/confirm-email";
/** Second factors and passkeys: where a person sets them up, and where an admin without one is sent. */
export const SECURITY_PATH = "/account/security";
export const SESSIONS_PATH = "/account/sessions";
/** The account's security events, newest first, a page at a time (`?cursor=`). */
export const ACTIVITY_PATH = "/account/activity";
export const CHANGE_PASSWORD_PATH = "/account/password";
export const CHANGE_EMAIL_PATH = "/account/email";
export const DELETE_ACCOUNT_PATH = "/account/delete";
/** After the password, for an account with a second factor: the code (or a recovery code). Not a session yet. */
export const VERIFY_SIGN_IN_PATH = "/sign-in/verify";
/** Where a sensitive change sends a person whose last authentication is older than the step-up window. */
export const CONFIRM_IDENTITY_PATH = "/account/confirm";
/** Where a page sends a request whose cookie names an ended session: it deletes the cookie and comes back. */
export const SESSION_ENDED_PATH = "/session/ended";
/**
 * The request's own path and query, as middleware hands it to what renders the page (which Next.js does not tell
 * a server component): so the page can come back to it after SESSION_ENDED_PATH.
 */
export const REQUEST_PATH_HEADER = "x-tessera-request-path";

/** A request's path and query as a return path: without the cache-busting `_rsc` of client-side navigations. */
export function requestPathOf(url: URL): string {
  const search = new URLSearchParams(url.search);
  search.delete("_rsc");
  const query = search.toString();
  return query ? `${url.pathname}?${query}` : url.pathname;
}

/** Where a page goes to have an ended session's cookie deleted, and back. */
export function sessionEndedPathFor(returnTo: string): string {
  return `${SESSION_ENDED_PATH}?${new URLSearchParams({ next: returnTo })}`;
}

/**
 * Sign-in with another account: a form POSTs to `/auth/<provider>` (never a GET, so another site cannot start a
 * sign-in or a connect in a person's browser), which sends the browser to the provider; the provider sends it back
 * to `/auth/callback/<provider>`, the address registered with the provider (`APP_URL` + this path).
 */
export const PROVIDER_AUTH_PATH = "/auth";

export function providerStartPath(provider: string): string {
  return `${PROVIDER_AUTH_PATH}/${provider}`;
}

export function providerCallbackPath(provider: string): string {
  return `${PROVIDER_AUTH_PATH}/callback/${provider}`;
}

/** Where pages send people while the database is out of reach (503). */
export const UNAVAILABLE_PATH = "/unavailable";
/** Route handlers for API clients, under this prefix. */
export const API_PATH = "/api";
/** The outbox, for development without a mail server (`next dev` only). */
export const DEV_MAIL_PATH = "/dev/mail";

const PROTECTED_PREFIXES = [ACCOUNT_PATH, ADMIN_PATH];

export function isProtectedPath(pathname: string): boolean {
  return PROTECTED_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/** Route handlers for API clients: they authenticate with Bearer tokens, never the cookie. */
export function isApiPath(pathname: string): boolean {
  return pathname === API_PATH || pathname.startsWith(`${API_PATH}/`);
}

/** `/sign-in?next=%2Faccount`: where a signed-out request for a protected path goes. */
export function signInPathFor(returnTo: string): string {
  return `${SIGN_IN_PATH}?${new URLSearchParams({ next: returnTo })}`;
}

/** `returnTo` unless it is /account, where a sign-in goes anyway: the `next` a form or a link needs to carry. */
export function nextToCarry(returnTo: string): string | undefined {
  return returnTo === ACCOUNT_PATH ? undefined : returnTo;
}

/** The sign-in page to come back to, on the way to `returnTo`: plain /sign-in for /account. */
export function signInPageReturningTo(returnTo: string): string {
  const next = nextToCarry(returnTo);
  return next === undefined ? SIGN_IN_PATH : signInPathFor(next);
}

/** Where an admin whose session took one factor is sent (REQUIRE_MFA_FOR_ADMINS): set up a second, then back. */
export function adminFactorSetupPathFor(returnTo: string): string {
  return `${SECURITY_PATH}?${new URLSearchParams({ required: "admin", next: returnTo })}`;
}

export function isAdminPath(pathname: string): boolean {
  return pathname === ADMIN_PATH || pathname.startsWith(`${ADMIN_PATH}/`);
}

/** `/account/confirm?next=%2Faccount%2Fpassword`: confirm who you are, then straight back. */
export function confirmIdentityPathFor(returnTo: string): string {
  return `${CONFIRM_IDENTITY_PATH}?${new URLSearchParams({ next: returnTo })}`;
}

/** What the sign-in page can announce after a change made elsewhere (a reset, a confirmed email). */
export const SIGN_IN_NOTICES = {
  "password-changed": "Your password was changed. Sign in with the new one.",
  "email-confirmed": "Your email is confirmed. Sign in to continue.",
  // A pending sign-in (password accepted, code awaited) that expired or ran out of tries: the password again.
  "sign-in-again": "That sign-in has expired. Sign in again.",
  "too-many-codes": "Too many wrong codes. Sign in again.",
  "wasnt-me": "Everyone was signed out of your account. We mailed you a link to set a new password.",
} as const;

export type SignInNotice = keyof typeof SIGN_IN_NOTICES;

export function signInWithNotice(notice: SignInNotice): string {
  return `${SIGN_IN_PATH}?${new URLSearchParams({ notice })}`;
}

const ORIGIN_PROBE = "http://origin.invalid";
// Browsers read `\` as `/` and drop tabs and newlines inside a URL; no return path needs a control character.
const BACKSLASH_OR_CONTROL = /[\\\u0000-\u001f\u007f]/;
// Exactly one slash first: a second one (or a backslash) would start another origin's address.
const ONE_LEADING_SLASH = /^\/(?![/\\])/;

/**
 * `path` resolved on this origin as a browser resolves it (dot segments, `%2e`), or null when the browser could
 * land elsewhere. The result is checked too: `/.//host` is written with one slash and resolves to `//host`.
 */
function resolveOnOrigin(path: string): URL | null {
  if (!ONE_LEADING_SLASH.test(path) || BACKSLASH_OR_CONTROL.test(path)) return null;
  let url: URL;
  try {
    url = new URL(path, ORIGIN_PROBE);
  } catch {
    return null;
  }
  return url.origin === ORIGIN_PROBE && ONE_LEADING_SLASH.test(url.pathname) ? url : null;
}

const pathOf = (url: URL) => `${url.pathname}${url.search}${url.hash}`;

/** Every `%XX` escape decoded, again and again until none is left (`%252f` is `/` decoded twice). */
function fullyDecoded(text: string): string {
  const decoded = text.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return decoded === text ? text : fullyDecoded(decoded);
}

/**
 * The same-origin path to go to after signing in, or the account page. Refuses anything a browser could read
 * as another origin: `//host`, `/\host`, `https:…`, `javascript:`, paths with control characters or
 * backslashes, and paths that become one of those once resolved (`/.//host`, `/a/..//host`) or once a proxy or
 * server decodes their escapes (`/%2f/host`, `/..%2f/host`). Pure, so the edge runtime can use it.
 */
export function safeReturnPath(next: unknown, fallback: string = ACCOUNT_PATH): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 2048) return fallback;
  const url = resolveOnOrigin(next);
  if (url === null || resolveOnOrigin(fullyDecoded(url.pathname)) === null) return fallback;
  const path = pathOf(url);
  // What is returned must itself be a return path this function would give unchanged.
  const again = resolveOnOrigin(path);
  return again !== null && pathOf(again) === path ? path : fallback;
}
