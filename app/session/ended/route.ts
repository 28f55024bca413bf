import { redirect } from "next/navigation";
import { getSession } from "@/lib/sessions/data-access.server";
import { HOME_PATH, safeReturnPath, UNAVAILABLE_PATH } from "@/lib/routes";
import { DatabaseUnavailableError } from "@/lib/db/db.server";

export const dynamic = "force-dynamic";

/**
 * A page found the request's cookie naming an ended session, and cannot delete a cookie itself: asking the data
 * access layer here deletes it (only when its session really is over, so a link here signs nobody out), then
 * back to the page, which renders signed out.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    await getSession();
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) redirect(UNAVAILABLE_PATH);
    throw error;
  }
  redirect(safeReturnPath(new URL(request.url).searchParams.get("next"), HOME_PATH));
}
