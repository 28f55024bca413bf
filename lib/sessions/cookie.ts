// The session cookie's attributes, in one place so that setting and deleting it always match (a deletion
// that differs in Secure or Path is ignored by the browser, or leaves a second cookie behind).
import type { SessionConfig } from "../config";

export interface SessionCookieAttributes {
  httpOnly: true;
  sameSite: "lax";
  path: "/";
  secure: boolean;
  maxAge: number;
}

export function sessionCookieAttributes(config: SessionConfig): SessionCookieAttributes {
  // The token inside lives for the idle timeout and is renewed while in use: the cookie lives as long.
  return { httpOnly: true, sameSite: "lax", path: "/", secure: config.secureCookie, maxAge: config.idleTimeoutSeconds };
}

/** The attributes that delete the cookie: the same ones, expired. */
export function expiredSessionCookieAttributes(config: SessionConfig): SessionCookieAttributes {
  return { ...sessionCookieAttributes(config), maxAge: 0 };
}
