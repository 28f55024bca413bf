// The three identity providers the suites sign in at, started together for scripts/e2e.mjs and
// test/support/global-setup.ts: the real OpenID provider as the generic one (OIDC_*, "Acme SSO"), the rogue
// provider as Google (GOOGLE_ISSUER pointed at it), the GitHub stub as GitHub. Each has one client, the app under
// test, with a fresh secret; its redirect URIs are on `appUrl`, and any other localhost port is accepted too.
import { randomBytes } from "node:crypto";
import { startGitHubStub } from "./github-stub.mjs";
import { startRogueProvider } from "./oidc-rogue-provider.mjs";
import { startOidcTestProvider } from "./oidc-test-provider.mjs";

export const OIDC_NAME = "Acme SSO";

const clientFor = (appUrl, providerId) => ({
  client_id: `tessera-${providerId}`,
  // base64url: the same whether or not a client form-encodes it in HTTP Basic, as RFC 6749 (2.3.1) asks.
  client_secret: randomBytes(32).toString("base64url"),
  redirect_uris: [`${appUrl}/auth/callback/${providerId}`],
});

/**
 * Resolves to { appEnv: the variables the app reads, testEnv: where tests reach each provider's controls,
 * stop() }.
 */
export async function startIdentityProviders({ appUrl }) {
  const clients = { oidc: clientFor(appUrl, "oidc"), google: clientFor(appUrl, "google"), github: clientFor(appUrl, "github") };
  const [oidc, rogue, github] = await Promise.all([
    startOidcTestProvider({ clients: [clients.oidc], name: OIDC_NAME }),
    startRogueProvider({ clients: [clients.google] }),
    startGitHubStub({ clients: [clients.github] }),
  ]);
  const appEnv = {
    OIDC_ISSUER: oidc.issuer,
    OIDC_CLIENT_ID: clients.oidc.client_id,
    OIDC_CLIENT_SECRET: clients.oidc.client_secret,
    OIDC_NAME,
    GOOGLE_ISSUER: rogue.issuer,
    GOOGLE_CLIENT_ID: clients.google.client_id,
    GOOGLE_CLIENT_SECRET: clients.google.client_secret,
    GITHUB_URL: github.url,
    GITHUB_API_URL: github.apiUrl,
    GITHUB_CLIENT_ID: clients.github.client_id,
    GITHUB_CLIENT_SECRET: clients.github.client_secret,
  };
  const testEnv = { E2E_OIDC_PROVIDER_URL: oidc.url, E2E_ROGUE_PROVIDER_URL: rogue.url, E2E_GITHUB_URL: github.url };
  return {
    appEnv,
    testEnv,
    providers: { oidc, rogue, github },
    stop: () => Promise.all([oidc.stop(), rogue.stop(), github.stop()]).then(() => undefined),
  };
}
