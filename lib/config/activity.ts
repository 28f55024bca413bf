// Security activity: how long events are kept.
import { positiveInteger, type Env } from "./env";

export interface ActivityConfig {
  /** Events older than this are purged. */
  retentionDays: number;
}

export function readActivityConfig(env: Env = process.env): ActivityConfig {
  return {
    retentionDays: positiveInteger(env, "ACTIVITY_RETENTION_DAYS", 90),
  };
}

let activityConfigCache: ActivityConfig | undefined;

export function activityConfig(): ActivityConfig {
  activityConfigCache ??= readActivityConfig();
  return activityConfigCache;
}
