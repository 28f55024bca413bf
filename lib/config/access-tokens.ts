// Bearer access tokens for other services: asymmetric keys, audiences, introspection, refresh reuse. Server-only
// settings: middleware verifies cookies alone and never reads them.
import { commaList, ConfigError, nonEmpty, positiveInteger, wholeNumber, type Env } from "./env";

export const ACCESS_TOKEN_ALGORITHMS = ["ES256", "RS256"] as const;
export type AccessTokenAlgorithm = (typeof ACCESS_TOKEN_ALGORITHMS)[number];

export interface AccessTokenConfig {
  algorithm: AccessTokenAlgorithm;
  /** The app's own audience (SESSION_AUDIENCE): tokens asked for without a `resource` carry it. */
  appAudience: string;
  /** Every audience a token may be issued for, the app's own first. A resource server is known by its audience. */
  audiences: string[];
  /** A PKCS#8 PEM the operator manages; null when keys are generated and kept in the database. */
  privateKeyPem: string | null;
  /** How long verifiers may cache the JWKS; also how long a new key is published before it signs. */
  jwksCacheSeconds: number;
  /** Resource servers allowed to introspect, by client id (which is their audience), with their secrets. */
  introspectionClients: Map<string, string>;
  /**
   * How long after its rotation a refresh token presented again still gets its (one) successor instead of ending
   * the session: clients that fire parallel refreshes are not thieves. 0: any reuse ends the session.
   */
  refreshReuseGraceSeconds: number;
}

/** Longer than a burst of parallel requests needs, and short enough that a replay later still ends the session. */
export const MAX_REFRESH_REUSE_GRACE_SECONDS = 60;

function refreshReuseGraceSeconds(env: Env): number {
  const value = wholeNumber(env, "REFRESH_REUSE_GRACE_SECONDS", 5);
  if (value > MAX_REFRESH_REUSE_GRACE_SECONDS) {
    throw new ConfigError("REFRESH_REUSE_GRACE_SECONDS", `may be at most ${MAX_REFRESH_REUSE_GRACE_SECONDS} (got ${value}).`);
  }
  return value;
}

/** Introspection secrets are compared as given: long enough that guessing one is hopeless. */
export const MIN_CLIENT_SECRET_LENGTH = 32;

function accessTokenAlgorithm(env: Env): AccessTokenAlgorithm {
  const value = nonEmpty(env, "ACCESS_TOKEN_ALG", "ES256");
  const known = ACCESS_TOKEN_ALGORITHMS.find((algorithm) => algorithm === value);
  if (!known) throw new ConfigError("ACCESS_TOKEN_ALG", `must be one of ${ACCESS_TOKEN_ALGORITHMS.join(", ")} (got "${value}").`);
  return known;
}

function privateKeyPem(env: Env): string | null {
  // Environments often hold a PEM on one line with literal "\n"s.
  const value = env.ACCESS_TOKEN_PRIVATE_KEY?.trim().replace(/\\n/g, "\n");
  if (!value) return null;
  if (!/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----$/.test(value)) {
    throw new ConfigError("ACCESS_TOKEN_PRIVATE_KEY", "must be a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----).");
  }
  return value;
}

/** INTROSPECTION_CLIENTS: `audience=secret` pairs, comma-separated; each audience one of ACCESS_TOKEN_AUDIENCES. */
function introspectionClients(env: Env, audiences: string[]): Map<string, string> {
  const clients = new Map<string, string>();
  for (const entry of commaList(env.INTROSPECTION_CLIENTS)) {
    const split = entry.indexOf("=");
    const [id, secret] = [entry.slice(0, split).trim(), entry.slice(split + 1).trim()];
    if (split <= 0 || !audiences.includes(id) || clients.has(id)) {
      throw new ConfigError("INTROSPECTION_CLIENTS", `each entry is audience=secret, once per audience listed in ACCESS_TOKEN_AUDIENCES (got "${id || entry.slice(0, 20)}").`);
    }
    if (secret.length < MIN_CLIENT_SECRET_LENGTH) {
      throw new ConfigError("INTROSPECTION_CLIENTS", `the secret for "${id}" must be at least ${MIN_CLIENT_SECRET_LENGTH} characters (\`openssl rand -base64 32\`).`);
    }
    clients.set(id, secret);
  }
  return clients;
}

export function readAccessTokenConfig(env: Env = process.env): AccessTokenConfig {
  const appAudience = nonEmpty(env, "SESSION_AUDIENCE", "tessera");
  const audiences = [...new Set([appAudience, ...commaList(env.ACCESS_TOKEN_AUDIENCES)])];
  return {
    algorithm: accessTokenAlgorithm(env),
    appAudience,
    audiences,
    privateKeyPem: privateKeyPem(env),
    jwksCacheSeconds: positiveInteger(env, "JWKS_CACHE_SECONDS", 600),
    introspectionClients: introspectionClients(env, audiences),
    refreshReuseGraceSeconds: refreshReuseGraceSeconds(env),
  };
}

let accessTokenConfigCache: AccessTokenConfig | undefined;

/** Server-only settings (never read by middleware, which verifies cookies alone). Throws ConfigError. */
export function accessTokenConfig(): AccessTokenConfig {
  accessTokenConfigCache ??= readAccessTokenConfig();
  return accessTokenConfigCache;
}
