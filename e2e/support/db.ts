// Direct access to the e2e server's database, to check what a request wrote or did not write.
import { createDatabaseClient } from "../../lib/db/client";

export const db = createDatabaseClient(process.env.DATABASE_URL ?? "");

export function countUsers(email?: string): Promise<number> {
  return db.user.count(email === undefined ? undefined : { where: { email } });
}

/** Sessions of a user that have not been ended. */
export function countLiveSessions(email: string): Promise<number> {
  return db.session.count({ where: { user: { email }, revokedAt: null } });
}
