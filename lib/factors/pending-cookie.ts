// The cookie that holds a pending sign-in's token between the password and the code. It is not the session
// cookie: another name, scoped to /sign-in/verify (so no other page, action or API route is ever sent it), httpOnly,
// SameSite=Lax, Secure in production. Not __Host- (that needs Path=/): __Secure- in production. Pure.
import { VERIFY_SIGN_IN_PATH } from "../routes";

/** A pending sign-in lives this long (NIST SP 800-63B allows the second factor to follow within minutes; at most 10). */
export const PENDING_SIGN_IN_TTL_SECONDS = 5 * 60;

export interface PendingSignInCookie {
  name: string;
  httpOnly: true;
  sameSite: "lax";
  path: string;
  secure: boolean;
  maxAge: number;
}

export function pendingSignInCookie(secure: boolean): PendingSignInCookie {
  return {
    name: secure ? "__Secure-pending-sign-in" : "pending-sign-in",
    httpOnly: true,
    sameSite: "lax",
    path: VERIFY_SIGN_IN_PATH,
    secure,
    maxAge: PENDING_SIGN_IN_TTL_SECONDS,
  };
}
