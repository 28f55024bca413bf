// The throttles' numbers, and how many password hashes may wait for a core.
import { ConfigError, HOUR, positiveInteger, wholeNumber, type Env } from "./env";

export interface AbuseLimits {
  /** Sign-in attempts per account (email, known or not), and per client address, in one window. */
  signInsPerAccount: number;
  signInsPerAddress: number;
  signInWindowSeconds: number;
  /** Sign-ups per client address in one window. */
  signUpsPerAddress: number;
  signUpWindowSeconds: number;
  /** "Continue with …" started per client address in one sign-in window: each start stores a transaction row. */
  providerStartsPerAddress: number;
  /** Password hashes waiting for a free core; beyond this, a request is answered "busy" at once. */
  hashQueueLimit: number;
}

/** NIST SP 800-63B-4 allows at most 100 consecutive failed attempts per account; the default is far inside it. */
const MAX_SIGN_INS_PER_ACCOUNT = 100;

function signInsPerAccount(env: Env): number {
  const value = positiveInteger(env, "SIGN_INS_PER_ACCOUNT", 10);
  if (value > MAX_SIGN_INS_PER_ACCOUNT) {
    throw new ConfigError("SIGN_INS_PER_ACCOUNT", `may be at most ${MAX_SIGN_INS_PER_ACCOUNT} (NIST SP 800-63B-4).`);
  }
  return value;
}

/** The throttles' and the hash queue's numbers; the README's Security section explains each. */
export function readAbuseLimits(env: Env = process.env): AbuseLimits {
  return {
    signInsPerAccount: signInsPerAccount(env),
    signInsPerAddress: 50,
    signInWindowSeconds: positiveInteger(env, "SIGN_IN_WINDOW_SECONDS", 15 * 60),
    signUpsPerAddress: positiveInteger(env, "SIGN_UPS_PER_ADDRESS", 10),
    signUpWindowSeconds: HOUR,
    providerStartsPerAddress: positiveInteger(env, "PROVIDER_STARTS_PER_ADDRESS", 30),
    hashQueueLimit: wholeNumber(env, "PASSWORD_HASH_QUEUE_LIMIT", 64),
  };
}

let abuseLimitsCache: AbuseLimits | undefined;

export function abuseLimits(): AbuseLimits {
  abuseLimitsCache ??= readAbuseLimits();
  return abuseLimitsCache;
}
