import "server-only";
// Bearer access tokens (RFC 9068 profile: typ at+jwt; iss, sub, aud, exp, iat, jti, client_id, plus our sid, role
// and auth_time), signed with the asymmetric key of lib/keys/ so that other services verify them from the JWKS
// without holding anything that could sign one. Claims and checks are lib/tokens/jwt.ts's, shared with cookies.
import { decodeJwt } from "jose";
import { ACCESS_TOKEN_ALGORITHMS, accessTokenConfig, sessionConfig } from "../config";
import { keyring } from "../keys/keyring.server";
import { hasHighS, withLowS } from "./ecdsa-signatures.server";
import { TokenError, signToken, verifyToken, type SessionClaims, type TokenSubject } from "./jwt";

/**
 * The client_id every access token names. API clients are not registered: they all use the password grant as
 * this app's own first-party client.
 */
export const FIRST_PARTY_CLIENT_ID = "tessera-api";

export interface AccessClaims extends SessionClaims {
  audience: string;
  clientId: string;
}

/** Signs an access token for `audience` (the app's own by default). */
export type AccessTokenSigner = (subject: TokenSubject, audience?: string) => Promise<{ token: string; claims: AccessClaims }>;

/**
 * The key that signs now, read from the keyring and imported, as a signer dated `now`: what may wait on the
 * database happens here, so that signing itself can run inside a transaction that must not.
 */
export async function accessTokenSigner(now: Date = new Date()): Promise<AccessTokenSigner> {
  const signing = (await keyring(now.getTime())).signing(now);
  const signer = { alg: signing.alg, kid: signing.kid, key: await signing.privateKey() };
  return async (subject, audience = accessTokenConfig().appAudience) => {
    const { token, claims } = await signToken({
      kind: "access",
      subject,
      config: sessionConfig(),
      now,
      signer,
      audience,
      extraClaims: { client_id: FIRST_PARTY_CLIENT_ID },
    });
    // Web Crypto signs with either s; verifiers here (and, we advise, everywhere) accept only the low one.
    return { token: signer.alg === "ES256" ? withLowS(token) : token, claims: { ...claims, audience, clientId: FIRST_PARTY_CLIENT_ID } };
  };
}

/** A token for `audience` (the app's own by default), signed with the key that signs now. */
export async function signAccessToken(
  subject: TokenSubject,
  audience?: string,
  now: Date = new Date(),
): Promise<{ token: string; claims: AccessClaims }> {
  return (await accessTokenSigner(now))(subject, audience);
}

/**
 * Verifies an access token meant for one of `audiences` (the app's own by default). Only a published key's kid
 * is looked up, and only with that key's own algorithm: an HMAC-signed token, or one naming any other algorithm,
 * never reaches a key. An ES256 signature's high-s twin is refused: one spelling per token. Throws TokenError.
 */
export async function verifyAccessToken(
  token: string,
  audiences: string | string[] = accessTokenConfig().appAudience,
  at?: Date,
): Promise<AccessClaims> {
  const ring = await keyring();
  const { claims, payload } = await verifyToken("access", token, sessionConfig(), {
    algorithms: [...ACCESS_TOKEN_ALGORITHMS],
    keyFor: (header) => {
      const key = ring.published().find((candidate) => candidate.kid === header.kid);
      if (!key || key.alg !== header.alg) throw new TokenError("invalid", "token names no key in use");
      if (key.alg === "ES256" && hasHighS(token)) throw new TokenError("invalid", "ES256 signature is not in low-s form");
      return key.publicKey;
    },
    audience: audiences,
    at,
  });
  const { aud, client_id: clientId } = payload;
  // One audience per token: a token naming several could be replayed at each of them.
  if (typeof aud !== "string" || typeof clientId !== "string") throw new TokenError("invalid", "token has unusable claims");
  return { ...claims, audience: aud, clientId };
}

/**
 * The session an access token for any of `audiences` names, for revocation (RFC 7009): checked as any use checks
 * it, but judged as of when it was issued, since a client signing out may well hold an expired one, and ending
 * its session is what it asks for. Null when it is not a token of ours.
 */
export async function sessionOfAccessToken(token: string, audiences: string[]): Promise<string | null> {
  let issuedAt: unknown;
  try {
    issuedAt = decodeJwt(token).iat;
  } catch {
    return null;
  }
  if (typeof issuedAt !== "number") return null;
  return verifyAccessToken(token, audiences, new Date(issuedAt * 1000)).then(
    (claims) => claims.sessionId,
    () => null,
  );
}
