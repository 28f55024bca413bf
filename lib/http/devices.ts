// What a person reads for a session's client in /account/sessions: "Chrome on Linux", "Safari on iOS", "curl",
// rather than the raw User-Agent. The only file that knows ua-parser-js (1.x: MIT; 2.x is AGPL), so another
// parser changes this one alone. Pure: no request, no database.
import UAParser from "ua-parser-js";

/**
 * What API clients send is a product token first (RFC 9110: `curl/8.5.0`, `python-requests/2.31`, `okhttp/4.12`):
 * its name is what a person knows the tool by. Browsers all start with "Mozilla/", which names nothing.
 */
const PRODUCT = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\/\S/;

export const UNKNOWN_DEVICE = "Unknown device";
/** Longest raw User-Agent shown when nothing in it is recognised: enough to tell clients apart. */
const MAX_RAW_LENGTH = 60;

// ua-parser-js tells mobile builds apart ("Mobile Safari"); the operating system already says as much.
const MOBILE_PREFIX = /^Mobile /;
const RENAMED: Record<string, string> = {
  // Playwright, Puppeteer, scrapers: an automated browser is worth knowing about on one's own account.
  "Chrome Headless": "Headless Chrome",
  "Chrome OS": "ChromeOS",
  "Chromium OS": "ChromeOS",
  "Mac OS": "macOS",
};

const cleaned = (name: string | undefined): string | undefined => {
  const text = name?.trim().replace(MOBILE_PREFIX, "");
  return text ? (RENAMED[text] ?? text) : undefined;
};

/**
 * "Firefox on Android", "Edge on Windows", "curl", "python-requests"; the raw text, trimmed, when nothing is
 * recognised; "Unknown device" when there is none.
 */
export function describeDevice(userAgent: string | null | undefined): string {
  const raw = userAgent?.trim();
  if (!raw) return UNKNOWN_DEVICE;
  const { browser, os } = UAParser(raw);
  const client = cleaned(browser.name);
  const system = cleaned(os.name);
  if (client && system) return `${client} on ${system}`;
  if (client) return client;
  const product = raw.match(PRODUCT)?.[1];
  if (product && product !== "Mozilla") return product;
  return raw.length > MAX_RAW_LENGTH ? `${raw.slice(0, MAX_RAW_LENGTH - 1).trimEnd()}…` : raw;
}
