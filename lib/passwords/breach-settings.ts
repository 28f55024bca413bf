// How new passwords are checked against breached ones: BREACHED_PASSWORDS and PWNED_PASSWORDS_URL, read and
// checked once, like the settings in lib/config.ts. Every variable is listed in the README.
import { ConfigError } from "../config";

type Env = Record<string, string | undefined>;

export const BREACH_CHECK_MODES = ["range", "offline", "off"] as const;
/** range: the bundled list, then the Pwned Passwords range API; offline: the bundled list alone; off: neither. */
export type BreachCheckMode = (typeof BREACH_CHECK_MODES)[number];

export interface BreachSettings {
  mode: BreachCheckMode;
  /** The range endpoint: a hash prefix is appended as one more path segment. */
  rangeUrl: string;
}

export const PUBLIC_RANGE_URL = "https://api.pwnedpasswords.com/range";

function mode(env: Env): BreachCheckMode {
  const value = env.BREACHED_PASSWORDS?.trim().toLowerCase() || "range";
  const known = BREACH_CHECK_MODES.find((candidate) => candidate === value);
  if (!known) throw new ConfigError("BREACHED_PASSWORDS", `must be one of ${BREACH_CHECK_MODES.join(", ")} (got "${value}").`);
  return known;
}

function rangeUrl(env: Env): string {
  const raw = env.PWNED_PASSWORDS_URL?.trim();
  if (!raw) return PUBLIC_RANGE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError("PWNED_PASSWORDS_URL", `is not a URL (got "${raw}").`);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.search || url.hash || url.username || url.password) {
    throw new ConfigError("PWNED_PASSWORDS_URL", `must be an http(s) URL without query or credentials, like ${PUBLIC_RANGE_URL} (got "${raw}").`);
  }
  return url.href.replace(/\/+$/, "");
}

export function readBreachSettings(env: Env = process.env): BreachSettings {
  return { mode: mode(env), rangeUrl: rangeUrl(env) };
}

let cached: BreachSettings | undefined;

/** The process's settings, read on first use. Throws ConfigError when they are unusable. */
export function breachSettings(): BreachSettings {
  cached ??= readBreachSettings();
  return cached;
}
