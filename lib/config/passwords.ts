// The password policy: how long a new password must be, and may be.
import { ConfigError, positiveInteger, type Env } from "./env";

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
}

/** NIST SP 800-63B-4 for a password that is the only factor. */
const DEFAULT_PASSWORD_MIN_LENGTH = 15;
/** NIST's floor: a configured minimum below this is refused. */
const PASSWORD_MIN_LENGTH_FLOOR = 8;
const PASSWORD_MAX_LENGTH = 128;

export function readPasswordPolicy(env: Env = process.env): PasswordPolicy {
  const minLength = positiveInteger(env, "PASSWORD_MIN_LENGTH", DEFAULT_PASSWORD_MIN_LENGTH);
  if (minLength < PASSWORD_MIN_LENGTH_FLOOR || minLength > PASSWORD_MAX_LENGTH) {
    throw new ConfigError(
      "PASSWORD_MIN_LENGTH",
      `must be between ${PASSWORD_MIN_LENGTH_FLOOR} and ${PASSWORD_MAX_LENGTH} (got ${minLength}).`,
    );
  }
  return { minLength, maxLength: PASSWORD_MAX_LENGTH };
}

let passwordPolicyCache: PasswordPolicy | undefined;

export function passwordPolicy(): PasswordPolicy {
  passwordPolicyCache ??= readPasswordPolicy();
  return passwordPolicyCache;
}
