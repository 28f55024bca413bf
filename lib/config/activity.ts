// Security activity: how long events are kept, when a sign-in is mailed to the owner as new, and how long the
// "This wasn't me" link in that mail works.
import { DAY, positiveInteger, wholeNumber, type Env } from "./env";

export interface ActivityConfig {
  /** Events older than this are purged. */
  retentionDays: number;
  /** A sign-in from a device and address the account has not signed in from for this long is mailed to the owner. */
  newSignInWindowDays: number;
  /** At most this many new-sign-in mails per account in an hour (0: none), so sign-in loops cannot mail-bomb. */
  newSignInMailsPerHour: number;
  wasntMeLinkTtlSeconds: number;
}

export function readActivityConfig(env: Env = process.env): ActivityConfig {
  return {
    retentionDays: positiveInteger(env, "ACTIVITY_RETENTION_DAYS", 90),
    newSignInWindowDays: positiveInteger(env, "NEW_SIGN_IN_WINDOW_DAYS", 90),
    newSignInMailsPerHour: wholeNumber(env, "NEW_SIGN_IN_MAILS_PER_HOUR", 3),
    wasntMeLinkTtlSeconds: positiveInteger(env, "WASNT_ME_LINK_TTL_SECONDS", 7 * DAY),
  };
}

let activityConfigCache: ActivityConfig | undefined;

export function activityConfig(): ActivityConfig {
  activityConfigCache ??= readActivityConfig();
  return activityConfigCache;
}
