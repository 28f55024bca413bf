"use server";
import { revalidatePath } from "next/cache";
import { requireAdmin } from "@/lib/auth.server";
import { endSessionsOf } from "@/lib/sessions.server";

/** Ends every session of a user. Checked here, not only on the page: an action can be posted from anywhere. */
export async function endUserSessions(userId: string): Promise<void> {
  await requireAdmin("/admin");
  await endSessionsOf(userId);
  revalidatePath("/admin");
}
