// Session tokens: compact JWS, HS256, made and checked with jose. Safe for the edge runtime: middleware and the
// data access layer both verify with this one function. Algorithm choice and figures:
// docs/decisions/0001-session-token-algorithm.md.
// Subpath imports: the index would also pull in JWE, whose deflate code the edge runtime cannot run.
import { SignJWT } from "jose/jwt/sign";
import { jwtVerify } from "jose/jwt/verify";
import * as errors from "jose/errors";
import type { SessionConfig } from "../config";

export const SESSION_TOKEN_ALGORITHM = "HS256";
/**
 * Far above any token this app signs (about 250 bytes), far below what would make parsing costly: a longer
 * value is rejected before any base64 or JSON work.
 */
export const MAX_SESSION_TOKEN_LENGTH = 1024;

export interface SessionClaims {
  /** The user's id (sub). */
  userId: string;
  /** The token's own id (jti): what the denylist stores. */
  tokenId: string;
  issuedAt: Date;
  expiresAt: Date;
}

export type SessionTokenErrorCode = "malformed" | "expired" | "invalid";

/** Why a token was refused. Callers treat every code the same (signed out); the code is for logs and tests. */
export class SessionTokenError extends Error {
  override name = "SessionTokenError";
  constructor(
    readonly code: SessionTokenErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// Importing the key costs more than a verification; do it once per secret.
const keys = new WeakMap<Uint8Array<ArrayBuffer>, Promise<CryptoKey>>();

function hmacKey(secret: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}

/** 128 random bits, base64url: unguessable and unique without asking the database. */
function newTokenId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function signSessionToken(
  userId: string,
  config: SessionConfig,
  now: Date = new Date(),
): Promise<{ token: string; claims: SessionClaims }> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = issuedAt + config.ttlSeconds;
  const tokenId = newTokenId();
  // The payload names the user by id only: no email or other personal data travels in the cookie.
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: SESSION_TOKEN_ALGORITHM, typ: "JWT" })
    .setSubject(userId)
    .setJti(tokenId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .sign(await hmacKey(config.secret));
  return {
    token,
    claims: { userId, tokenId, issuedAt: new Date(issuedAt * 1000), expiresAt: new Date(expiresAt * 1000) },
  };
}

/**
 * Verifies a session token and returns its claims, or throws SessionTokenError. Pins everything jose would
 * otherwise let vary: the one algorithm (no `none`, no other HMAC), typ, iss, aud, required exp/iat/jti/sub, and a
 * maximum age so that an iat in the future or too far in the past fails.
 */
export async function verifySessionToken(token: string, config: SessionConfig): Promise<SessionClaims> {
  if (token.length > MAX_SESSION_TOKEN_LENGTH) {
    throw new SessionTokenError("malformed", "token is longer than any session token");
  }
  let payload;
  try {
    ({ payload } = await jwtVerify(token, await hmacKey(config.secret), {
      algorithms: [SESSION_TOKEN_ALGORITHM],
      typ: "JWT",
      issuer: config.issuer,
      audience: config.audience,
      requiredClaims: ["sub", "jti", "iat", "exp"],
      maxTokenAge: config.ttlSeconds,
      clockTolerance: config.clockToleranceSeconds,
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new SessionTokenError("expired", "token has expired", { cause: error });
    if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
      throw new SessionTokenError("malformed", "token is not a well-formed JWS", { cause: error });
    }
    throw new SessionTokenError("invalid", "token failed verification", { cause: error });
  }
  const { sub, jti, iat, exp } = payload;
  if (typeof sub !== "string" || !sub || typeof jti !== "string" || jti.length < 16) {
    throw new SessionTokenError("invalid", "token has no usable sub or jti");
  }
  return { userId: sub, tokenId: jti, issuedAt: new Date(iat! * 1000), expiresAt: new Date(exp! * 1000) };
}
