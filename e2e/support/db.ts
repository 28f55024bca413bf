// Direct access to the e2e server's database, to check what a request wrote or did not write: the app's own client,
// reading the same DATABASE_URL (and .env files) as the server and the fixtures.
import "./environment";
import { db } from "../../lib/db/db.server";

export { db };

export function countUsers(email?: string): Promise<number> {
  return db.user.count(email === undefined ? undefined : { where: { email } });
}

/** Sessions of a user that have not been ended. */
export function countLiveSessions(email: string): Promise<number> {
  return db.session.count({ where: { user: { email }, revokedAt: null } });
}
