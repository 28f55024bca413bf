// What a person reads for a session's client in /account/sessions: "Chrome on Linux", "Safari on iOS", "curl",
// rather than the raw User-Agent. The only file that knows ua-parser-js, so another parser changes this one
// alone. Pure: no request, no database.
import { UAParser } from "ua-parser-js";
import { CLIs, Crawlers, Fetchers, Libraries } from "ua-parser-js/extensions";

// Besides browsers: command-line tools (curl, Wget, HTTPie), HTTP libraries (python-requests, axios, okhttp),
// fetchers and crawlers, which is what signs in through the API.
// (flat: each is typed as one extension or a list of them.)
const EXTENSIONS = [CLIs, Crawlers, Fetchers, Libraries].flat();

export const UNKNOWN_DEVICE = "Unknown device";
/** Longest raw User-Agent shown when nothing in it is recognised: enough to tell clients apart. */
const MAX_RAW_LENGTH = 60;

// ua-parser-js tells mobile builds apart ("Mobile Safari"); the operating system already says as much.
const MOBILE_PREFIX = /^Mobile /;
const RENAMED: Record<string, string> = {
  // Playwright, Puppeteer, scrapers: an automated browser is worth knowing about on one's own account.
  "Chrome Headless": "Headless Chrome",
  "Chrome OS": "ChromeOS",
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
  const { browser, os } = new UAParser(raw, EXTENSIONS).getResult();
  const client = cleaned(browser.name);
  const system = cleaned(os.name);
  if (client && system) return `${client} on ${system}`;
  if (client) return client;
  return raw.length > MAX_RAW_LENGTH ? `${raw.slice(0, MAX_RAW_LENGTH - 1).trimEnd()}…` : raw;
}
