// Start-up in the Node.js runtime. A production server with a missing or weak signing secret, or without APP_URL,
// refuses to start, naming the variable to set, instead of failing on the first request. Then every request gets
// its client address fixed before Next.js sees it (lib/http/client-address.server.ts), and the mail sender starts
// (lib/mail/sender.server.ts), and every configured sign-in provider is discovered, so that a misconfigured one is
// named in one log line at once (its button stays hidden; the rest of the app works). Middleware is handed the
// hashes of the prerendered pages' scripts (lib/http/prerendered-pages.server.ts).
import { installClientAddressHeader } from "./lib/http/client-address.server";
import { abuseLimits, accessTokenConfig, ConfigError, isProduction, mailConfig, passwordPolicy, recoveryConfig, sessionConfig, trustedProxyHops } from "./lib/config";
import { startMailSender } from "./lib/mail/sender.server";
import { breachSettings } from "./lib/passwords/breach-settings";
import { providersConfig } from "./lib/config/providers";
import { installPrerenderedScriptHashes } from "./lib/http/prerendered-pages.server";

export function registerNodeServer(): void {
  try {
    sessionConfig();
    passwordPolicy();
    abuseLimits();
    mailConfig();
    recoveryConfig();
    accessTokenConfig();
    breachSettings();
    providersConfig();
    installClientAddressHeader(trustedProxyHops());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Tessera cannot start: ${error.message}`);
    process.exit(1);
  }
  // Only a production build has prerendered pages; `next dev` renders every page per request.
  if (isProduction()) installPrerenderedScriptHashes();
  startMailSender();
  // The first start makes the access-token signing key (one instance wins when several start together). With the
  // database out of reach it is made on first use instead.
  void import("./lib/keys/keyring.server")
    .then(({ keyring }) => keyring())
    .catch((error: unknown) => console.error("Access-token signing keys not loaded yet:", error instanceof Error ? error.message : error));
  // Discovery of each provider; a failure is logged by lib/providers/ itself and hides that provider's button.
  void import("./lib/providers/clients.server")
    .then(({ checkProviders }) => checkProviders())
    .catch((error: unknown) => console.error("Sign-in providers not checked:", error instanceof Error ? error.message : error));
}
