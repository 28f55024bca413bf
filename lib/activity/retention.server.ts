import "server-only";
// Events are kept ACTIVITY_RETENTION_DAYS, then purged: long enough to answer "was I hacked?", not a record of
// a person's every move.
import { activityConfig } from "../config";
import { db } from "../db/db.server";

export async function purgeOldEvents(now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - activityConfig().retentionDays * 86_400_000);
  const { count } = await db.event.deleteMany({ where: { at: { lt: cutoff } } });
  return count;
}
