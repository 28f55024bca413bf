// Reading environment variables: the checks every concern shares, and the error that names the variable to fix.
// Safe for the edge runtime (no Node APIs).
import { TesseraError } from "../errors";

export class ConfigError extends TesseraError<"config"> {
  static readonly code = "config";
  override name = "ConfigError";
  constructor(
    /** The environment variable to set or fix. */
    readonly variable: string,
    message: string,
  ) {
    super(ConfigError.code, `${variable}: ${message}`);
  }
}

export type Env = Record<string, string | undefined>;

export const HOUR = 60 * 60;
export const DAY = 24 * HOUR;

export function isProduction(env: Env = process.env): boolean {
  return env.NODE_ENV === "production";
}

export function positiveInteger(env: Env, variable: string, fallback: number): number {
  const raw = env[variable]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) <= 0) {
    throw new ConfigError(variable, `must be a positive whole number (got "${raw}").`);
  }
  return Number(raw);
}

export function wholeNumber(env: Env, variable: string, fallback: number): number {
  const raw = env[variable]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(variable, `must be a whole number (got "${raw}").`);
  return Number(raw);
}

export function nonEmpty(env: Env, variable: string, fallback: string): string {
  return env[variable]?.trim() || fallback;
}

export function flag(env: Env, variable: string, fallback: boolean): boolean {
  const raw = env[variable]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw new ConfigError(variable, `must be true or false (got "${raw}").`);
}

export function commaList(value: string | undefined): string[] {
  return (value ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
}
