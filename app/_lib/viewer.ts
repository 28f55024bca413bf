import { getCurrentUser, type CurrentUser } from "@/lib/sessions/data-access.server";
import { DatabaseUnavailableError } from "@/lib/db/db.server";

/** The database could not say who is signed in. */
export const UNKNOWN_VIEWER = "unknown";

/**
 * Who is reading, for what every page shows around its content (the header, the home page): the signed-in
 * user, null when signed out, or UNKNOWN_VIEWER while the database is out of reach, so that the page still
 * renders (a page that needs the session itself goes to /unavailable through withDatabase). Asks the data access
 * layer: once per request, and never the database for a request without a session cookie.
 */
export async function currentViewer(): Promise<CurrentUser | null | typeof UNKNOWN_VIEWER> {
  try {
    return await getCurrentUser();
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) return UNKNOWN_VIEWER;
    throw error;
  }
}
