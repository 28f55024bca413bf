import "server-only";
// A password that checked out at sign-in but is known to be breached does not keep the person out: the account is
// marked, /account asks them to change it, and a new password clears the mark (lib/users/store.server.ts). The
// check runs after the response (AfterResponse), so a slow corpus never slows a sign-in.
import { db } from "../db/db.server";
import { isCommonPassword } from "../passwords/common-passwords";
import { breachChecker } from "../passwords/breached.server";
import { breachSettings } from "../passwords/breach-settings";
import type { BreachDependencies } from "./new-password.server";

export type BreachNote = "marked" | "already-marked" | "clean" | "unknown" | "not-checked";

/**
 * Marks the user when `password`, just verified as theirs against `user.passwordHash`, is on the bundled list or in
 * the corpus. The mark is written only while that hash is still the stored one, so a password changed since (before
 * the check, or while the corpus was asked) is not marked for the old one's sake, and only while the account is
 * unmarked, so that it keeps the date it was first found even when two sign-ins note it at once.
 * `user.passwordBreachedAt` is as the sign-in read it with the hash: a date there spares the check.
 */
export async function notePasswordIfBreached(
  user: { id: string; passwordHash: string; passwordBreachedAt: Date | null },
  password: string,
  { settings, checker }: BreachDependencies = { settings: breachSettings(), checker: breachChecker },
): Promise<BreachNote> {
  if (settings.mode === "off") return "not-checked";
  if (user.passwordBreachedAt instanceof Date) return "already-marked";
  let breached = isCommonPassword(password);
  if (!breached && settings.mode === "range") {
    const found = await checker().lookup(password);
    if (found.status === "unavailable") return "unknown";
    breached = found.status === "breached";
  }
  if (!breached) return "clean";
  const { count } = await db.user.updateMany({
    where: { id: user.id, passwordHash: user.passwordHash, passwordBreachedAt: null },
    data: { passwordBreachedAt: new Date() },
  });
  if (count === 1) return "marked";
  // Rare: marked by another sign-in since this one read the account, or the password changed.
  const stored = await db.user.findUnique({ where: { id: user.id }, select: { passwordHash: true, passwordBreachedAt: true } });
  return stored?.passwordHash === user.passwordHash && stored.passwordBreachedAt !== null ? "already-marked" : "not-checked";
}
