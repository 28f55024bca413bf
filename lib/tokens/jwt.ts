// Session and access tokens: compact JWS made and checked with jose. Safe for the edge runtime: middleware and the
// data access layer verify cookies with these same functions (HS256). Access tokens share the claims and checks
// but are signed with an asymmetric key from lib/keys/ (lib/tokens/access-tokens.server.ts). Algorithm choice and
// figures: docs/decisions/0001-session-token-algorithm.md and 0009-asymmetric-access-tokens.md; sessions and
// renewal: docs/decisions/0004-sessions.md.
// Subpath imports: the index would also pull in JWE, whose deflate code the edge runtime cannot run.
import { SignJWT } from "jose/jwt/sign";
import { jwtVerify } from "jose/jwt/verify";
import type { JWSHeaderParameters, JWTPayload } from "jose";
import * as errors from "jose/errors";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import type { SessionConfig } from "../config";
import { TesseraError } from "../errors";
import { randomId } from "../ids";
import { isRole, type Role } from "./roles";
import { parseAmr, SIGN_IN_METHODS, type Amr } from "./sign-in-methods";

export const TOKEN_ALGORITHM = "HS256";
/**
 * Far above any token this app signs (about 350 bytes), far below what would make parsing costly: a longer
 * value is rejected before any base64 or JSON work.
 */
export const MAX_TOKEN_LENGTH = 1024;

/** Who a token speaks for: the same for a browser's cookie token and an API client's access token. */
export interface TokenSubject {
  userId: string;
  sessionId: string;
  role: Role;
  /** When the session began (auth_time): renewals never carry a session past authTime + the absolute timeout. */
  authTime: Date;
  /**
   * How the person signed in (amr, RFC 8176), so the edge can tell a one-factor session from a two-factor one
   * without the database. Defaults to a password alone, the weakest.
   */
  amr?: readonly Amr[];
}

export interface SessionClaims extends TokenSubject {
  amr: readonly Amr[];
  /** The token's own id (jti). */
  tokenId: string;
  issuedAt: Date;
  expiresAt: Date;
}

/**
 * The two kinds of token. Each pins its own `typ`, so neither is accepted where the other is expected: an access
 * token pasted into a cookie is refused, and so is a cookie token sent as a Bearer token.
 */
export type TokenKind = "session" | "access";
const TYP: Record<TokenKind, string> = { session: "JWT", access: "at+jwt" };

function lifetimeSeconds(kind: TokenKind, config: SessionConfig): number {
  return kind === "session" ? config.idleTimeoutSeconds : config.accessTokenTtlSeconds;
}

export type TokenErrorCode = "malformed" | "expired" | "invalid";

/**
 * Why a token (a session cookie's or an access token) was refused. Callers treat every code the same (signed
 * out); the code is for logs and tests.
 */
export class TokenError extends TesseraError<TokenErrorCode> {
  override name = "TokenError";
}

interface SessionKeyring {
  signing: { kid: string; key: CryptoKey };
  byKid: Map<string, CryptoKey>;
}

const BASE64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const COMPACT_JWS_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** Low bits of a segment's last character that carry no data, by length modulo 4 (1 is never base64url). */
const SPARE_BITS_MASK: readonly (number | undefined)[] = [0, undefined, 0b1111, 0b11];

/**
 * True when each of the three segments is the one spelling of its bytes: base64url characters only, no padding,
 * a possible length, and zero spare bits at the end. jose decodes leniently on Node 20, so without this one valid
 * token has several accepted spellings, each a new entry in the verified-token cache.
 */
function isCanonicalCompactJws(token: string): boolean {
  return COMPACT_JWS_SHAPE.test(token) && token.split(".").every(isCanonicalSegment);
}

function isCanonicalSegment(segment: string): boolean {
  const spare = SPARE_BITS_MASK[segment.length % 4];
  return spare !== undefined && (BASE64URL_ALPHABET.indexOf(segment.charAt(segment.length - 1)) & spare) === 0;
}

/**
 * A key's id: derived from the key (a hash of it says nothing about it), so operators never have to name keys.
 * 48 bits tell the few keys in use apart; every character travels in the cookie.
 */
export async function keyId(secret: Uint8Array<ArrayBuffer>): Promise<string> {
  const label = new TextEncoder().encode("tessera key id\0");
  const input = new Uint8Array(label.length + secret.length);
  input.set(label);
  input.set(secret, label.length);
  return encodeBase64urlNoPadding(new Uint8Array(await crypto.subtle.digest("SHA-256", input))).slice(0, 8);
}

async function importKey(secret: Uint8Array<ArrayBuffer>): Promise<[string, CryptoKey]> {
  const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  return [await keyId(secret), key];
}

// Importing a key costs more than a verification: once per configuration.
const keyrings = new WeakMap<SessionConfig, Promise<SessionKeyring>>();

function sessionKeyring(config: SessionConfig): Promise<SessionKeyring> {
  let ring = keyrings.get(config);
  if (!ring) {
    ring = (async () => {
      const [kid, key] = await importKey(config.signingSecret);
      const byKid = new Map([[kid, key], ...(await Promise.all(config.previousSecrets.map(importKey)))]);
      return { signing: { kid, key }, byKid };
    })();
    keyrings.set(config, ring);
  }
  return ring;
}

const REQUIRED_CLAIMS = ["sub", "sid", "jti", "iat", "exp", "auth_time"];

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** The key a token is signed with, and the header fields that name it. */
export interface Signer {
  alg: string;
  kid: string;
  key: CryptoKey;
}

/** How one kind of token is checked: the algorithms it may name, and the key for a header (or a throw). */
export interface Verifier {
  algorithms: string[];
  keyFor: (header: JWSHeaderParameters) => CryptoKey | Promise<CryptoKey>;
  /** The audience a token must carry: one, or any of several. */
  audience: string | string[];
  /** The moment its expiry and age are judged at; now unless set (revocation judges a token as it was issued). */
  at?: Date;
}

/** The HMAC keyring of a configuration as a signer and verifier of cookie tokens. */
async function hmacSigner(config: SessionConfig): Promise<Signer> {
  const { signing } = await sessionKeyring(config);
  return { alg: TOKEN_ALGORITHM, ...signing };
}

function keyNamedBy(ring: SessionKeyring, header: JWSHeaderParameters): CryptoKey {
  const key = typeof header.kid === "string" ? ring.byKid.get(header.kid) : undefined;
  if (!key) throw new TokenError("invalid", "token names no key in use");
  return key;
}

const hmacVerifiers = new WeakMap<SessionConfig, Verifier>();

/** One verifier per configuration, its key lookup synchronous once the keys are imported: it runs on every miss. */
function hmacVerifier(config: SessionConfig): Verifier {
  let verifier = hmacVerifiers.get(config);
  if (!verifier) {
    let ring: SessionKeyring | undefined;
    verifier = {
      algorithms: [TOKEN_ALGORITHM],
      keyFor: (header) => (ring ? keyNamedBy(ring, header) : sessionKeyring(config).then((loaded) => keyNamedBy((ring = loaded), header))),
      audience: config.audience,
    };
    hmacVerifiers.set(config, verifier);
  }
  return verifier;
}

export interface TokenToSign {
  kind: TokenKind;
  subject: TokenSubject;
  config: SessionConfig;
  now: Date;
  signer: Signer;
  audience: string;
  /** The kind's own claims (an access token's client_id). */
  extraClaims?: Record<string, string>;
}

/**
 * Whether a session signed in at `authTime` has reached the absolute timeout as now configured: no token may be
 * signed for it any more, whatever its row says (it began under a longer timeout).
 */
export function isPastAbsoluteTimeout(authTime: Date, config: SessionConfig, now: Date = new Date()): boolean {
  return seconds(authTime) + config.absoluteTimeoutSeconds <= seconds(now);
}

/** Signs a token of one kind for a subject. It names the user by id only: no email or other personal data. */
export async function signToken({
  kind,
  subject,
  config,
  now,
  signer,
  audience,
  extraClaims = {},
}: TokenToSign): Promise<{ token: string; claims: SessionClaims }> {
  const issuedAt = seconds(now);
  const sessionEnd = seconds(subject.authTime) + config.absoluteTimeoutSeconds;
  const expiresAt = Math.min(issuedAt + lifetimeSeconds(kind, config), sessionEnd);
  if (isPastAbsoluteTimeout(subject.authTime, config, now)) throw new TokenError("expired", "the session has reached its absolute timeout");
  const tokenId = randomId();
  const amr = subject.amr ?? SIGN_IN_METHODS.password.amr;
  const token = await new SignJWT({ ...extraClaims, sid: subject.sessionId, role: subject.role, auth_time: seconds(subject.authTime), amr: [...amr] })
    .setProtectedHeader({ alg: signer.alg, typ: TYP[kind], kid: signer.kid })
    .setSubject(subject.userId)
    .setJti(tokenId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .setIssuer(config.issuer)
    .setAudience(audience)
    .sign(signer.key);
  return {
    token,
    claims: {
      ...subject,
      amr,
      // As the token states it: whole seconds.
      authTime: new Date(seconds(subject.authTime) * 1000),
      tokenId,
      issuedAt: new Date(issuedAt * 1000),
      expiresAt: new Date(expiresAt * 1000),
    },
  };
}

/**
 * Verifies a token of one kind and returns its claims, or throws TokenError. Refuses an oversized or
 * non-canonical token before any decoding, then pins everything jose would otherwise let vary: the one algorithm
 * (no `none`, no other HMAC), typ, a known kid, iss, aud, the required claims, and a maximum age so that an iat in
 * the future or too far in the past fails.
 */
export async function verifyToken(
  kind: TokenKind,
  token: string,
  config: SessionConfig,
  verifier: Verifier,
): Promise<{ claims: SessionClaims; payload: JWTPayload }> {
  if (token.length > MAX_TOKEN_LENGTH) throw new TokenError("malformed", "token is longer than any we sign");
  if (!isCanonicalCompactJws(token)) throw new TokenError("malformed", "token is not canonical base64url");
  let payload;
  try {
    ({ payload } = await jwtVerify(token, verifier.keyFor, {
      algorithms: verifier.algorithms,
      typ: TYP[kind],
      issuer: config.issuer,
      audience: verifier.audience,
      requiredClaims: [...REQUIRED_CLAIMS, ...(kind === "access" ? ["client_id"] : [])],
      maxTokenAge: lifetimeSeconds(kind, config),
      clockTolerance: config.clockToleranceSeconds,
      currentDate: verifier.at,
    }));
  } catch (error) {
    if (error instanceof TokenError) throw error;
    if (error instanceof errors.JWTExpired) throw new TokenError("expired", "token has expired", { cause: error });
    if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
      throw new TokenError("malformed", "token is not a well-formed JWS", { cause: error });
    }
    throw new TokenError("invalid", "token failed verification", { cause: error });
  }
  const { sub, sid, jti, iat, exp, auth_time: authTime, role } = payload;
  const amr = parseAmr(payload.amr);
  if (
    amr === null ||
    typeof sub !== "string" || !sub ||
    typeof sid !== "string" || sid.length < 16 ||
    typeof jti !== "string" || jti.length < 16 ||
    typeof authTime !== "number" || authTime > iat! + config.clockToleranceSeconds ||
    !isRole(role)
  ) {
    throw new TokenError("invalid", "token has unusable claims");
  }
  if (authTime + config.absoluteTimeoutSeconds < Date.now() / 1000 - config.clockToleranceSeconds) {
    throw new TokenError("expired", "the session has reached its absolute timeout");
  }
  const claims = {
    userId: sub,
    sessionId: sid,
    role,
    authTime: new Date(authTime * 1000),
    amr,
    tokenId: jti,
    issuedAt: new Date(iat! * 1000),
    expiresAt: new Date(exp! * 1000),
  };
  return { claims, payload };
}

/** The browser's cookie token: lives for the idle timeout, renewed while the session is in use. */
export async function signSessionToken(subject: TokenSubject, config: SessionConfig, now: Date = new Date()) {
  return signToken({ kind: "session", subject, config, now, signer: await hmacSigner(config), audience: config.audience });
}

export async function verifySessionToken(token: string, config: SessionConfig): Promise<SessionClaims> {
  return (await verifyToken("session", token, config, hmacVerifier(config))).claims;
}

/**
 * A fresh cookie token for the same session when the current one is old enough to renew; null otherwise (not
 * due yet, or the session has reached its absolute timeout). Only ever called with claims that just verified,
 * so renewal cannot revive an expired token; the data access layer still refuses a revoked session.
 */
export async function renewSessionToken(
  claims: SessionClaims,
  config: SessionConfig,
  now: Date = new Date(),
): Promise<{ token: string; claims: SessionClaims } | null> {
  if (seconds(now) - seconds(claims.issuedAt) < config.renewAfterSeconds) return null;
  const { userId, sessionId, role, authTime, amr } = claims;
  // Already as long as the session may last: a new token would add nothing.
  if (seconds(claims.expiresAt) >= seconds(authTime) + config.absoluteTimeoutSeconds) return null;
  try {
    return await signSessionToken({ userId, sessionId, role, authTime, amr }, config, now);
  } catch (error) {
    if (error instanceof TokenError) return null;
    throw error;
  }
}
