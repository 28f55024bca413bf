import "server-only";
// The openid-client configuration of each configured provider, made once and kept: a generic provider (and Google)
// by discovery of its issuer, GitHub from its documented endpoints. Every request the library makes for it
// (discovery, token, keys, user info) gives up after PROVIDER_TIMEOUT_SECONDS. A provider whose discovery fails is
// named in one log line and left out of the buttons; it is asked again a minute later, lazily, when a page wants
// its button, so a provider that comes back needs no restart.
import * as client from "openid-client";
import { isLoopbackHttp, providersConfig, type ProviderSettings } from "../config/providers";
import { logEvent } from "../log.server";
import { ProviderError } from "./errors";

/** How long a failed discovery is believed before a page asks again. */
const RETRY_AFTER_FAILURE_MS = 60_000;
/** A working configuration is discovered again after this, for a provider that moved its endpoints. */
const REDISCOVER_AFTER_MS = 24 * 60 * 60_000;

interface Entry {
  /** Settled: a configuration, or the failure's time. */
  configuration: Promise<client.Configuration>;
  at: number;
  failed: boolean;
}

const entries = new Map<string, Entry>();

function clientAuthentication(settings: ProviderSettings): client.ClientAuth {
  return settings.clientSecret === null ? client.None() : client.ClientSecretPost(settings.clientSecret);
}

/** Plain http only to this machine (test and development providers); the library refuses it otherwise. */
function allowingLoopback(url: URL): Pick<client.DiscoveryRequestOptions, "execute"> {
  return isLoopbackHttp(url) ? { execute: [client.allowInsecureRequests] } : {};
}

async function discover(settings: ProviderSettings): Promise<client.Configuration> {
  const { timeoutSeconds } = providersConfig();
  if (settings.kind === "github") {
    // GitHub's OAuth apps: no discovery document, no ID token. Its web address is the issuer of its identities.
    const web = settings.webUrl.href.replace(/\/$/, "");
    const configuration = new client.Configuration(
      { issuer: web, authorization_endpoint: `${web}/login/oauth/authorize`, token_endpoint: `${web}/login/oauth/access_token` },
      settings.clientId,
      undefined,
      clientAuthentication(settings),
    );
    if (isLoopbackHttp(settings.webUrl)) client.allowInsecureRequests(configuration);
    configuration.timeout = timeoutSeconds;
    return configuration;
  }
  // discovery() checks that the document's issuer is exactly this one (OpenID Connect Discovery 1.0 §4.3).
  const configuration = await client.discovery(settings.issuer, settings.clientId, undefined, clientAuthentication(settings), {
    timeout: timeoutSeconds,
    ...allowingLoopback(settings.issuer),
  });
  // The library would take TLS to the token endpoint as proof enough (OpenID Connect Core 3.1.3.7, 6) and skip the ID
  // token's signature: verify it against the provider's JWKS all the same, so that a token the provider never signed
  // (a compromised or confused path to it, a test server, a proxy) is refused.
  client.enableNonRepudiationChecks(configuration);
  return configuration;
}

function entryFor(settings: ProviderSettings, now = Date.now()): Entry {
  const kept = entries.get(settings.id);
  const stale = kept && (kept.failed ? now - kept.at > RETRY_AFTER_FAILURE_MS : now - kept.at > REDISCOVER_AFTER_MS);
  if (kept && !stale) return kept;
  const entry: Entry = { configuration: discover(settings), at: now, failed: false };
  entry.configuration.catch((error: unknown) => {
    entry.failed = true;
    entry.at = Date.now();
    logEvent("provider.unavailable", { provider: settings.id, reason: error instanceof Error ? error.message : String(error) });
  });
  entries.set(settings.id, entry);
  return entry;
}

/** The provider's configuration; ProviderError "unavailable" when its discovery failed (now or within the minute). */
export async function providerConfiguration(settings: ProviderSettings): Promise<client.Configuration> {
  try {
    return await entryFor(settings).configuration;
  } catch (error) {
    throw new ProviderError("unavailable", `${settings.id}: discovery failed`, { cause: error });
  }
}

/** The configured providers that work now, in configuration order: the buttons to show. */
export async function usableProviders(): Promise<ProviderSettings[]> {
  const { providers } = providersConfig();
  const working = await Promise.all(providers.map((settings) => entryFor(settings).configuration.then(() => true, () => false)));
  return providers.filter((_, index) => working[index]);
}

/** At server start: discovers every configured provider, so a misconfigured one is named at once in the log. */
export async function checkProviders(): Promise<void> {
  await usableProviders();
}

/** Tests: forget every configuration, so the next use discovers again. */
export function forgetProviderConfigurations(): void {
  entries.clear();
}
