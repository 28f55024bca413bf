// Start-up in the Node.js runtime. A production server with a missing or weak signing secret, or without APP_URL,
// refuses to start, naming the variable to set, instead of failing on the first request. Then every request gets
// its client address fixed before Next.js sees it (lib/http/client-address.server.ts), and the mail sender starts
// (lib/mail/sender.server.ts).
import { installClientAddressHeader } from "./lib/http/client-address.server";
import { abuseLimits, accessTokenConfig, ConfigError, mailConfig, passwordPolicy, recoveryConfig, sessionConfig, trustedProxyHops } from "./lib/config";
import { startMailSender } from "./lib/mail/sender.server";
import { breachSettings } from "./lib/passwords/breach-settings";

export function registerNodeServer(): void {
  try {
    sessionConfig();
    passwordPolicy();
    abuseLimits();
    mailConfig();
    recoveryConfig();
    accessTokenConfig();
    breachSettings();
    installClientAddressHeader(trustedProxyHops());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Tessera cannot start: ${error.message}`);
    process.exit(1);
  }
  startMailSender();
  // The first start makes the access-token signing key (one instance wins when several start together). With the
  // database out of reach it is made on first use instead.
  void import("./lib/keys/keyring.server")
    .then(({ keyring }) => keyring())
    .catch((error: unknown) => console.error("Access-token signing keys not loaded yet:", error instanceof Error ? error.message : error));
}
