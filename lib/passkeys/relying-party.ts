// Who the passkeys belong to: the relying party is the site people use, as APP_URL names it. Its id is APP_URL's
// host (a passkey made for it works on that host and no other), and a ceremony must come from APP_URL's origin.
import { mailConfig, type MailConfig } from "../config";

export interface RelyingParty {
  /** "tessera.example.com" (or "localhost"): what a passkey is bound to. Never an IP address in a browser. */
  id: string;
  /** "https://tessera.example.com": the only origin a ceremony is accepted from. */
  origin: string;
  /** What an authenticator shows beside the account's email. */
  name: string;
}

export const RELYING_PARTY_NAME = "Tessera";

export function relyingParty(config: Pick<MailConfig, "appUrl"> = mailConfig()): RelyingParty {
  return { id: config.appUrl.hostname, origin: config.appUrl.origin, name: RELYING_PARTY_NAME };
}

/** Where a ceremony happens: the relying party (APP_URL's), the time, and the client's address for the log. */
export interface CeremonyContext {
  rp?: RelyingParty;
  now?: Date;
  address?: string | null;
}
