// Mailed links carry a token in their address (/reset-password?token=…). Middleware moves it at once into a
// cookie scoped to the link's path and redirects to the bare path, so the token does not stay in the address
// bar, the history or a Referer; the page and its form read it from the cookie. Edge-safe.
import { RESET_PASSWORD_PATH, VERIFY_EMAIL_PATH, WASNT_ME_PATH } from "../routes";

const COOKIE_NAMES: Record<string, string> = {
  [RESET_PASSWORD_PATH]: "reset-token",
  [VERIFY_EMAIL_PATH]: "confirm-token",
  [WASNT_ME_PATH]: "wasnt-me-token",
};

export interface LinkTokenCookie {
  name: string;
  httpOnly: true;
  sameSite: "lax";
  path: string;
  secure: boolean;
}

/** The cookie that holds the token of links to this path; null for every other path. */
export function linkTokenCookie(pathname: string, secure: boolean): LinkTokenCookie | null {
  const name = COOKIE_NAMES[pathname];
  if (name === undefined) return null;
  // No Max-Age: it goes with the browser session; the token's own expiry is checked in the database anyway.
  // __Secure- makes the browser refuse it over plain HTTP, where the session cookie would not be sent either.
  return { name: secure ? `__Secure-${name}` : name, httpOnly: true, sameSite: "lax", path: pathname, secure };
}
