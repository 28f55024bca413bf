// The session settings: signing secrets, the token's issuer and audience, the timeouts, the cookie. Middleware
// (edge) reads them too, so this stays free of Node APIs.
import { ConfigError, DAY, isProduction, nonEmpty, positiveInteger, type Env } from "./env";

export interface SessionConfig {
  /** HMAC-SHA-256 key that signs new tokens, at least 256 bits. */
  signingSecret: Uint8Array<ArrayBuffer>;
  /** Keys being rotated out: their tokens still verify until they expire, nothing new is signed with them. */
  previousSecrets: Uint8Array<ArrayBuffer>[];
  issuer: string;
  audience: string;
  /** A session unused this long is over: the cookie token's lifetime, and the cookie's Max-Age. */
  idleTimeoutSeconds: number;
  /** No session lives longer than this, however active. */
  absoluteTimeoutSeconds: number;
  /** Lifetime of a Bearer access token. */
  accessTokenTtlSeconds: number;
  /** A cookie token older than this is replaced by a fresh one on the next request. */
  renewAfterSeconds: number;
  /** Allowed clock skew when checking exp and iat. */
  clockToleranceSeconds: number;
  cookieName: string;
  /** Secure attribute and `__Host-` prefix: on in production. */
  secureCookie: boolean;
}

export const MIN_SECRET_BYTES = 32;
const CLOCK_TOLERANCE_SECONDS = 5;

/** Decodes a secret given in base64 or base64url (as `openssl rand -base64 32` prints it) of 256 bits or more. */
export function decodeSecret(value: string | undefined, variable = "SESSION_SECRET"): Uint8Array<ArrayBuffer> {
  const text = value?.trim();
  if (!text) {
    throw new ConfigError(
      variable,
      "is not set. Set it to at least 32 random bytes in base64, for example the output of `openssl rand -base64 32`.",
    );
  }
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    throw new ConfigError(variable, "must be base64 or base64url, as `openssl rand -base64 32` prints it.");
  }
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, ""));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new ConfigError(
      variable,
      `decodes to ${bytes.length * 8} bits; at least ${MIN_SECRET_BYTES * 8} are required (\`openssl rand -base64 32\`).`,
    );
  }
  return bytes;
}

/** SESSION_PREVIOUS_SECRETS: a comma-separated list, each entry held to the same rules as SESSION_SECRET. */
function decodeSecretList(value: string | undefined): Uint8Array<ArrayBuffer>[] {
  const entries = (value ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  return entries.map((entry) => decodeSecret(entry, "SESSION_PREVIOUS_SECRETS"));
}

export function readSessionConfig(env: Env = process.env): SessionConfig {
  const secureCookie = isProduction(env);
  const idleTimeoutSeconds = positiveInteger(env, "SESSION_IDLE_TIMEOUT_SECONDS", DAY);
  const absoluteTimeoutSeconds = positiveInteger(env, "SESSION_ABSOLUTE_TIMEOUT_SECONDS", 30 * DAY);
  if (absoluteTimeoutSeconds < idleTimeoutSeconds) {
    throw new ConfigError(
      "SESSION_ABSOLUTE_TIMEOUT_SECONDS",
      `must be at least SESSION_IDLE_TIMEOUT_SECONDS (${idleTimeoutSeconds}).`,
    );
  }
  // An API client refreshes when its access token expires, and only the refresh tells the app the session is in
  // use (a resource server checking signatures is not seen): a token living as long as the idle timeout would
  // find its session over at that refresh.
  const longestAccessTokenSeconds = Math.max(1, Math.floor(idleTimeoutSeconds / 2));
  const accessTokenTtlSeconds = positiveInteger(env, "ACCESS_TOKEN_TTL_SECONDS", Math.min(15 * 60, longestAccessTokenSeconds));
  if (env.ACCESS_TOKEN_TTL_SECONDS !== undefined && accessTokenTtlSeconds > longestAccessTokenSeconds) {
    throw new ConfigError(
      "ACCESS_TOKEN_TTL_SECONDS",
      `must be at most half of SESSION_IDLE_TIMEOUT_SECONDS (${longestAccessTokenSeconds}), so that a client refreshing when its access token expires finds its session still live.`,
    );
  }
  return {
    signingSecret: decodeSecret(env.SESSION_SECRET),
    previousSecrets: decodeSecretList(env.SESSION_PREVIOUS_SECRETS),
    issuer: nonEmpty(env, "SESSION_ISSUER", "tessera"),
    audience: nonEmpty(env, "SESSION_AUDIENCE", "tessera"),
    idleTimeoutSeconds,
    absoluteTimeoutSeconds,
    accessTokenTtlSeconds,
    // Often enough that idle time is measured to within a few minutes, rarely enough that most requests carry
    // no new cookie. A quarter of the idle timeout when that is shorter (tests use seconds).
    renewAfterSeconds: Math.max(1, Math.min(5 * 60, Math.floor(idleTimeoutSeconds / 4))),
    clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
    // The __Host- prefix makes the browser refuse the cookie unless it is Secure, host-only and Path=/, so a
    // sibling subdomain cannot plant or shadow it.
    cookieName: secureCookie ? "__Host-session" : "session",
    secureCookie,
  };
}

let sessionConfigCache: SessionConfig | undefined;

/** The process's session configuration, read on first use. Throws ConfigError when it is unusable. */
export function sessionConfig(): SessionConfig {
  sessionConfigCache ??= readSessionConfig({
    // Named one by one: the edge runtime exposes variables to middleware by name.
    NODE_ENV: process.env.NODE_ENV,
    SESSION_SECRET: process.env.SESSION_SECRET,
    SESSION_PREVIOUS_SECRETS: process.env.SESSION_PREVIOUS_SECRETS,
    SESSION_ISSUER: process.env.SESSION_ISSUER,
    SESSION_AUDIENCE: process.env.SESSION_AUDIENCE,
    SESSION_IDLE_TIMEOUT_SECONDS: process.env.SESSION_IDLE_TIMEOUT_SECONDS,
    SESSION_ABSOLUTE_TIMEOUT_SECONDS: process.env.SESSION_ABSOLUTE_TIMEOUT_SECONDS,
    ACCESS_TOKEN_TTL_SECONDS: process.env.ACCESS_TOKEN_TTL_SECONDS,
  });
  return sessionConfigCache;
}
