// Mailed links and what may be mailed: their lifetimes, the mail limits, and whether a person confirms their email
// before anything else.
import { DAY, flag, HOUR, positiveInteger, type Env } from "./env";

export interface RecoveryConfig {
  passwordResetTtlSeconds: number;
  emailConfirmationTtlSeconds: number;
  /** When true, a signed-in person whose email is unconfirmed sees only the page asking them to confirm it. */
  requireEmailVerification: boolean;
  /** Mail that anyone can trigger (a reset, a new confirmation link): per account and per client address. */
  mailsPerAccount: number;
  mailsPerAddress: number;
  mailWindowSeconds: number;
}

/** Lifetimes of mailed links, and the limits that keep "forgot password" from becoming a mail bomb. */
export function readRecoveryConfig(env: Env = process.env): RecoveryConfig {
  return {
    passwordResetTtlSeconds: positiveInteger(env, "PASSWORD_RESET_TTL_SECONDS", 30 * 60),
    emailConfirmationTtlSeconds: positiveInteger(env, "EMAIL_CONFIRMATION_TTL_SECONDS", DAY),
    requireEmailVerification: flag(env, "REQUIRE_EMAIL_VERIFICATION", false),
    mailsPerAccount: positiveInteger(env, "MAILS_PER_ACCOUNT", 3),
    mailsPerAddress: positiveInteger(env, "MAILS_PER_ADDRESS", 20),
    mailWindowSeconds: HOUR,
  };
}

let recoveryConfigCache: RecoveryConfig | undefined;

export function recoveryConfig(): RecoveryConfig {
  recoveryConfigCache ??= readRecoveryConfig();
  return recoveryConfigCache;
}
