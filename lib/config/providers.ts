// Sign-in with other accounts: which providers are configured (none by default, several at once) and how long any
// call to one may take. A half-configured provider (an id without its secret, an address that is not a URL) stops
// the server at start like every other bad setting; one that is configured but unreachable is lib/providers/'s
// business (logged, its button hidden).
import { ConfigError, positiveInteger, type Env } from "./env";

/** The providers Tessera knows: a generic OpenID Connect provider and two presets. Their callback is /auth/callback/<id>. */
export const PROVIDER_IDS = ["oidc", "google", "github"] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export function isProviderId(value: unknown): value is ProviderId {
  return typeof value === "string" && (PROVIDER_IDS as readonly string[]).includes(value);
}

interface ProviderBase<Id extends ProviderId> {
  id: Id;
  /** What the button says after "Continue with". */
  name: string;
  clientId: string;
  /** Null for a public client (PKCE alone); the presets need one. */
  clientSecret: string | null;
}

/** Found by discovery of `issuer` (OpenID Connect Discovery 1.0). Google is one with a fixed issuer. */
export interface OidcProviderSettings extends ProviderBase<"oidc" | "google"> {
  kind: "oidc";
  issuer: URL;
}

/** GitHub's OAuth 2.0 web flow and its REST API: not OpenID Connect, so no discovery and no ID token. */
export interface GitHubProviderSettings extends ProviderBase<"github"> {
  kind: "github";
  /** Where people sign in and the token endpoint is; also the issuer half of the identity key. */
  webUrl: URL;
  apiUrl: URL;
}

export type ProviderSettings = OidcProviderSettings | GitHubProviderSettings;

export interface ProvidersConfig {
  providers: ProviderSettings[];
  /** Every request to a provider (discovery, token, user info, keys, GitHub's API) gives up after this. */
  timeoutSeconds: number;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Plain HTTP reaches only this machine (the test and development providers); anything else needs TLS. */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

function providerUrl(env: Env, variable: string, fallback: string): URL {
  const raw = env[variable]?.trim() || fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(variable, `is not a URL (got "${raw}").`);
  }
  if (url.protocol !== "https:" && !isLoopbackHttp(url)) {
    throw new ConfigError(variable, `must be an https:// address (plain http only on localhost; got "${raw}").`);
  }
  if (url.search || url.hash || url.username) throw new ConfigError(variable, `must have no query, fragment or credentials (got "${raw}").`);
  return url;
}

/** The client id and secret under `prefix`: null when neither is set, a ConfigError when only part is. */
function credentials(env: Env, prefix: string, secretRequired: boolean): { clientId: string; clientSecret: string | null } | null {
  const clientId = env[`${prefix}_CLIENT_ID`]?.trim() || null;
  const clientSecret = env[`${prefix}_CLIENT_SECRET`]?.trim() || null;
  if (!clientId && !clientSecret) return null;
  if (!clientId) throw new ConfigError(`${prefix}_CLIENT_ID`, `is not set, but ${prefix}_CLIENT_SECRET is.`);
  if (!clientSecret && secretRequired) throw new ConfigError(`${prefix}_CLIENT_SECRET`, `is not set, but ${prefix}_CLIENT_ID is.`);
  return { clientId, clientSecret };
}

function genericProvider(env: Env): OidcProviderSettings | null {
  const issuer = env.OIDC_ISSUER?.trim();
  const client = credentials(env, "OIDC", false);
  if (!issuer && !client) return null;
  if (!issuer) throw new ConfigError("OIDC_ISSUER", "is not set, but OIDC_CLIENT_ID is.");
  if (!client) throw new ConfigError("OIDC_CLIENT_ID", "is not set, but OIDC_ISSUER is.");
  const name = env.OIDC_NAME?.trim() || "OpenID Connect";
  if (name.length > 40) throw new ConfigError("OIDC_NAME", "is the button's label: at most 40 characters.");
  return { id: "oidc", kind: "oidc", name, issuer: providerUrl(env, "OIDC_ISSUER", issuer), ...client };
}

function googleProvider(env: Env): OidcProviderSettings | null {
  const client = credentials(env, "GOOGLE", true);
  if (!client) return null;
  return { id: "google", kind: "oidc", name: "Google", issuer: providerUrl(env, "GOOGLE_ISSUER", "https://accounts.google.com"), ...client };
}

function gitHubProvider(env: Env): GitHubProviderSettings | null {
  const client = credentials(env, "GITHUB", true);
  if (!client) return null;
  return {
    id: "github",
    kind: "github",
    name: "GitHub",
    webUrl: providerUrl(env, "GITHUB_URL", "https://github.com"),
    apiUrl: providerUrl(env, "GITHUB_API_URL", "https://api.github.com"),
    ...client,
  };
}

export function readProvidersConfig(env: Env = process.env): ProvidersConfig {
  const providers = [genericProvider(env), googleProvider(env), gitHubProvider(env)].filter((provider) => provider !== null);
  const timeoutSeconds = positiveInteger(env, "PROVIDER_TIMEOUT_SECONDS", 5);
  if (timeoutSeconds > 30) throw new ConfigError("PROVIDER_TIMEOUT_SECONDS", "at most 30: a person waits that long for the page.");
  return { providers, timeoutSeconds };
}

let providersConfigCache: ProvidersConfig | undefined;

export function providersConfig(): ProvidersConfig {
  providersConfigCache ??= readProvidersConfig();
  return providersConfigCache;
}

/** The configured provider with this id, or null (not configured, or not an id at all). */
export function providerSettings(id: unknown): ProviderSettings | null {
  return providersConfig().providers.find((provider) => provider.id === id) ?? null;
}

/** Its display name ("GitHub"), or the id when it is no longer configured (an old session row, an old event). */
export function providerName(id: ProviderId): string {
  return providerSettings(id)?.name ?? { oidc: "OpenID Connect", google: "Google", github: "GitHub" }[id];
}
