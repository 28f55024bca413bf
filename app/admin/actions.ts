"use server";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { clientInfoFrom } from "@/lib/http/client-info";
import { requireAdmin } from "@/lib/sessions/data-access.server";
import { isRecordId } from "@/lib/db/record-id";
import { endSessionsOf } from "@/lib/sessions/store.server";
import { ADMIN_PATH } from "@/lib/routes";

/**
 * Ends every session of a user. Checked here, not only on the page: an action can be posted from anywhere, with
 * any arguments, so anything but an id is treated as an id nobody has.
 */
export async function endUserSessions(userId: unknown): Promise<void> {
  await requireAdmin(ADMIN_PATH, { recentAuthentication: true });
  if (isRecordId(userId)) await endSessionsOf(userId, { client: clientInfoFrom(await headers()) });
  revalidatePath(ADMIN_PATH);
}
