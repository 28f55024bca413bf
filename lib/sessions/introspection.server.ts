import "server-only";
// POST /api/auth/introspect (RFC 7662): a resource server asks whether an access token is alive right now. A
// signature only proves a token was issued; this also checks its session, so an ended session is inactive at once.
import { sessionConfig } from "../config";
import { verifyAccessToken } from "../tokens/access-tokens.server";
import { findLiveSession, touchSession } from "./store.server";

export type Introspection =
  | { active: false }
  | {
      active: true;
      token_type: "Bearer";
      iss: string;
      sub: string;
      aud: string;
      client_id: string;
      exp: number;
      iat: number;
      jti: string;
      sid: string;
      auth_time: number;
      /** As the user row says now, not as the token said when it was issued. */
      role: string;
    };

const INACTIVE: Introspection = { active: false };
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * What `resourceServer` may know about `token`: inactive unless it is an access token meant for that very
 * resource server, its signature and claims hold, and its session is live. A token for another audience is
 * inactive too, so a resource server's credentials learn nothing about others' tokens (RFC 7662 2.2). Refresh
 * tokens are not introspected.
 */
export async function introspect(token: string, resourceServer: string): Promise<Introspection> {
  const claims = await verifyAccessToken(token, resourceServer).catch(() => null);
  if (!claims) return INACTIVE;
  const session = await findLiveSession(claims.sessionId);
  if (!session || session.user.id !== claims.userId) return INACTIVE;
  // The client used its token at the resource server asking: activity, as a Bearer request here is.
  await touchSession(session);
  return {
    active: true,
    token_type: "Bearer",
    iss: sessionConfig().issuer,
    sub: claims.userId,
    aud: claims.audience,
    client_id: claims.clientId,
    exp: seconds(claims.expiresAt),
    iat: seconds(claims.issuedAt),
    jti: claims.tokenId,
    sid: claims.sessionId,
    auth_time: seconds(claims.authTime),
    role: session.user.role,
  };
}
