// What the app trusts of the network in front of it.
import { wholeNumber, type Env } from "./env";

/** How many reverse proxies in front of the app append to X-Forwarded-For and are trusted to tell the truth. */
export function trustedProxyHops(env: Env = process.env): number {
  return wholeNumber(env, "TRUSTED_PROXY_HOPS", 0);
}
