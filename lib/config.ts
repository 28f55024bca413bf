// Tessera's configuration, read from environment variables and checked once. Safe for the edge runtime (no
// Node APIs), because middleware needs the session settings too. Every variable is listed in the README.
import { TesseraError } from "./errors";

export class ConfigError extends TesseraError<"config"> {
  static readonly code = "config";
  override name = "ConfigError";
  constructor(
    /** The environment variable to set or fix. */
    readonly variable: string,
    message: string,
  ) {
    super(ConfigError.code, `${variable}: ${message}`);
  }
}

type Env = Record<string, string | undefined>;

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

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
}

export const MIN_SECRET_BYTES = 32;
const HOUR = 60 * 60;
const DAY = 24 * HOUR;
const CLOCK_TOLERANCE_SECONDS = 5;
/** NIST SP 800-63B-4 for a password that is the only factor. */
const DEFAULT_PASSWORD_MIN_LENGTH = 15;
/** NIST's floor: a configured minimum below this is refused. */
const PASSWORD_MIN_LENGTH_FLOOR = 8;
const PASSWORD_MAX_LENGTH = 128;

export function isProduction(env: Env = process.env): boolean {
  return env.NODE_ENV === "production";
}

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

function positiveInteger(env: Env, variable: string, fallback: number): number {
  const raw = env[variable]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) <= 0) {
    throw new ConfigError(variable, `must be a positive whole number (got "${raw}").`);
  }
  return Number(raw);
}

function nonEmpty(env: Env, variable: string, fallback: string): string {
  return env[variable]?.trim() || fallback;
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
  return {
    signingSecret: decodeSecret(env.SESSION_SECRET),
    previousSecrets: decodeSecretList(env.SESSION_PREVIOUS_SECRETS),
    issuer: nonEmpty(env, "SESSION_ISSUER", "tessera"),
    audience: nonEmpty(env, "SESSION_AUDIENCE", "tessera"),
    idleTimeoutSeconds,
    absoluteTimeoutSeconds,
    accessTokenTtlSeconds: positiveInteger(env, "ACCESS_TOKEN_TTL_SECONDS", 15 * 60),
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

export function readPasswordPolicy(env: Env = process.env): PasswordPolicy {
  const minLength = positiveInteger(env, "PASSWORD_MIN_LENGTH", DEFAULT_PASSWORD_MIN_LENGTH);
  if (minLength < PASSWORD_MIN_LENGTH_FLOOR || minLength > PASSWORD_MAX_LENGTH) {
    throw new ConfigError(
      "PASSWORD_MIN_LENGTH",
      `must be between ${PASSWORD_MIN_LENGTH_FLOOR} and ${PASSWORD_MAX_LENGTH} (got ${minLength}).`,
    );
  }
  return { minLength, maxLength: PASSWORD_MAX_LENGTH };
}

export interface AbuseLimits {
  /** Sign-in attempts per account (email, known or not), and per client address, in one window. */
  signInsPerAccount: number;
  signInsPerAddress: number;
  signInWindowSeconds: number;
  /** Sign-ups per client address in one window. */
  signUpsPerAddress: number;
  signUpWindowSeconds: number;
  /** Password hashes waiting for a free core; beyond this, a request is answered "busy" at once. */
  hashQueueLimit: number;
}

function wholeNumber(env: Env, variable: string, fallback: number): number {
  const raw = env[variable]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(variable, `must be a whole number (got "${raw}").`);
  return Number(raw);
}

/** NIST SP 800-63B-4 allows at most 100 consecutive failed attempts per account; the default is far inside it. */
const MAX_SIGN_INS_PER_ACCOUNT = 100;

function signInsPerAccount(env: Env): number {
  const value = positiveInteger(env, "SIGN_INS_PER_ACCOUNT", 10);
  if (value > MAX_SIGN_INS_PER_ACCOUNT) {
    throw new ConfigError("SIGN_INS_PER_ACCOUNT", `may be at most ${MAX_SIGN_INS_PER_ACCOUNT} (NIST SP 800-63B-4).`);
  }
  return value;
}

/** The throttles' and the hash queue's numbers; the README's Security section explains each. */
export function readAbuseLimits(env: Env = process.env): AbuseLimits {
  return {
    signInsPerAccount: signInsPerAccount(env),
    signInsPerAddress: 50,
    signInWindowSeconds: positiveInteger(env, "SIGN_IN_WINDOW_SECONDS", 15 * 60),
    signUpsPerAddress: positiveInteger(env, "SIGN_UPS_PER_ADDRESS", 10),
    signUpWindowSeconds: HOUR,
    hashQueueLimit: wholeNumber(env, "PASSWORD_HASH_QUEUE_LIMIT", 64),
  };
}

/** How many reverse proxies in front of the app append to X-Forwarded-For and are trusted to tell the truth. */
export function trustedProxyHops(env: Env = process.env): number {
  return wholeNumber(env, "TRUSTED_PROXY_HOPS", 0);
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

let passwordPolicyCache: PasswordPolicy | undefined;

export function passwordPolicy(): PasswordPolicy {
  passwordPolicyCache ??= readPasswordPolicy();
  return passwordPolicyCache;
}

let abuseLimitsCache: AbuseLimits | undefined;

export function abuseLimits(): AbuseLimits {
  abuseLimitsCache ??= readAbuseLimits();
  return abuseLimitsCache;
}

export interface MailConfig {
  /** The app's public origin: every link in a mail is built on it, never on a request's Host header. */
  appUrl: URL;
  /** smtp://user:pass@host:587 (or smtps://…:465); null keeps mail in the outbox unsent (docs/decisions/0008). */
  smtpUrl: string | null;
  /** The From header. */
  from: string;
}

/** Where `next dev` listens unless told otherwise: links in development mail point there. */
const DEVELOPMENT_APP_URL = "http://localhost:3000";

function appUrl(env: Env): URL {
  const raw = env.APP_URL?.trim();
  if (!raw) {
    if (isProduction(env)) {
      throw new ConfigError("APP_URL", "is not set. Set it to the address people use, e.g. https://tessera.example.com: links in mail are built on it.");
    }
    return new URL(DEVELOPMENT_APP_URL);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError("APP_URL", `is not a URL (got "${raw}").`);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.pathname !== "/" || url.search || url.hash || url.username) {
    throw new ConfigError("APP_URL", `must be an origin only, like https://tessera.example.com (got "${raw}").`);
  }
  return url;
}

function smtpUrl(env: Env): string | null {
  const raw = env.SMTP_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError("SMTP_URL", "is not a URL: use smtp://user:password@host:587 or smtps://user:password@host:465.");
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
    throw new ConfigError("SMTP_URL", `must start with smtp:// or smtps:// (got "${url.protocol}//").`);
  }
  return raw;
}

export function readMailConfig(env: Env = process.env): MailConfig {
  const url = appUrl(env);
  return { appUrl: url, smtpUrl: smtpUrl(env), from: nonEmpty(env, "MAIL_FROM", `Tessera <no-reply@${url.hostname}>`) };
}

export interface RecoveryConfig {
  passwordResetTtlSeconds: number;
  emailConfirmationTtlSeconds: number;
  /** When true, a signed-in person whose email is unconfirmed sees only the page asking them to confirm it. */
  requireEmailVerification: boolean;
  /** Mail that anyone can trigger (a reset, a new confirmation link): per account and per client address. */
  mailsPerAccount: number;
  mailsPerAddress: number;
  mailWindowSeconds: number;
}

function flag(env: Env, variable: string, fallback: boolean): boolean {
  const raw = env[variable]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw new ConfigError(variable, `must be true or false (got "${raw}").`);
}

/** Lifetimes of mailed links, and the limits that keep "forgot password" from becoming a mail bomb. */
export function readRecoveryConfig(env: Env = process.env): RecoveryConfig {
  return {
    passwordResetTtlSeconds: positiveInteger(env, "PASSWORD_RESET_TTL_SECONDS", 30 * 60),
    emailConfirmationTtlSeconds: positiveInteger(env, "EMAIL_CONFIRMATION_TTL_SECONDS", DAY),
    requireEmailVerification: flag(env, "REQUIRE_EMAIL_VERIFICATION", false),
    mailsPerAccount: positiveInteger(env, "MAILS_PER_ACCOUNT", 3),
    mailsPerAddress: positiveInteger(env, "MAILS_PER_ADDRESS", 20),
    mailWindowSeconds: HOUR,
  };
}

let mailConfigCache: MailConfig | undefined;

export function mailConfig(): MailConfig {
  mailConfigCache ??= readMailConfig();
  return mailConfigCache;
}

let recoveryConfigCache: RecoveryConfig | undefined;

export function recoveryConfig(): RecoveryConfig {
  recoveryConfigCache ??= readRecoveryConfig();
  return recoveryConfigCache;
}

// ---- Second factors, passkeys and step-up ----

export interface StepUpConfig {
  /** How long after an authentication a sensitive change goes through without confirming again. */
  maxAgeSeconds: number;
  /** When true, /admin opens only to a session made with two factors. */
  requireMfaForAdmins: boolean;
}

export function readStepUpConfig(env: Env = process.env): StepUpConfig {
  return {
    maxAgeSeconds: positiveInteger(env, "STEP_UP_MAX_AGE_SECONDS", 10 * 60),
    requireMfaForAdmins: flag(env, "REQUIRE_MFA_FOR_ADMINS", true),
  };
}

let stepUpConfigCache: StepUpConfig | undefined;

export function stepUpConfig(): StepUpConfig {
  // Named one by one: middleware (edge) reads REQUIRE_MFA_FOR_ADMINS too.
  stepUpConfigCache ??= readStepUpConfig({
    STEP_UP_MAX_AGE_SECONDS: process.env.STEP_UP_MAX_AGE_SECONDS,
    REQUIRE_MFA_FOR_ADMINS: process.env.REQUIRE_MFA_FOR_ADMINS,
  });
  return stepUpConfigCache;
}

// ---- Bearer access tokens for other services: asymmetric keys, audiences, introspection ----

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

function commaList(value: string | undefined): string[] {
  return (value ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
}

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
