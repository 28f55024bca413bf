// Second factors, passkeys and step-up: how long an authentication counts as recent, and whether admins need two
// factors. Middleware (edge) reads the second.
import { flag, positiveInteger, type Env } from "./env";

export interface StepUpConfig {
  /** How long after an authentication a sensitive change goes through without confirming again. */
  maxAgeSeconds: number;
  /** When true, /admin opens only to a session made with two factors. */
  requireMfaForAdmins: boolean;
}

export function readStepUpConfig(env: Env = process.env): StepUpConfig {
  return {
    maxAgeSeconds: positiveInteger(env, "STEP_UP_MAX_AGE_SECONDS", 10 * 60),
    requireMfaForAdmins: flag(env, "REQUIRE_MFA_FOR_ADMINS", true),
  };
}

let stepUpConfigCache: StepUpConfig | undefined;

export function stepUpConfig(): StepUpConfig {
  // Named one by one: middleware (edge) reads REQUIRE_MFA_FOR_ADMINS too.
  stepUpConfigCache ??= readStepUpConfig({
    STEP_UP_MAX_AGE_SECONDS: process.env.STEP_UP_MAX_AGE_SECONDS,
    REQUIRE_MFA_FOR_ADMINS: process.env.REQUIRE_MFA_FOR_ADMINS,
  });
  return stepUpConfigCache;
}
