import "server-only";
import type { Database } from "../db/client.server";
// Passkey rows: what /account/security lists, renames and removes. Every query names the owner, so a person can
// only ever see, rename or remove their own; an id posted by the client is checked for its shape first.
import { requestClient } from "../activity/client.server";
import { recordEvent } from "../activity/record.server";
import { db } from "../db/db.server";
import { appLink } from "../mail/links";
import { enqueueMail } from "../mail/outbox.server";
import { wakeMailSender } from "../mail/sender.server";
import { passkeyRemovedMail } from "../mail/templates";
import { SECURITY_PATH } from "../routes";
import { logEvent } from "../log.server";
import { removingWayIn } from "../ways-in/ways-in.server";
import { isCredentialId, isSynced } from "./webauthn-credentials";
import { checkPasskeyName } from "./names";

export interface PasskeySummary {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** Synced between the person's devices by a password manager or platform (multi-device, backed up). */
  synced: boolean;
}

/** At most this many passkeys per account: enough for every device a person owns, not a table to fill. */
export const MAX_PASSKEYS_PER_ACCOUNT = 20;

export async function listPasskeys(userId: string): Promise<PasskeySummary[]> {
  const rows = await db.passkey.findMany({
    where: { userId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, name: true, createdAt: true, lastUsedAt: true, deviceType: true, backedUp: true },
  });
  return rows.map(({ deviceType, backedUp, ...row }) => ({ ...row, synced: isSynced({ deviceType, backedUp }) }));
}

export async function countPasskeys(userId: string, queries: Pick<Database, "passkey"> = db): Promise<number> {
  return queries.passkey.count({ where: { userId } });
}

export type RenameOutcome = { ok: true; name: string } | { ok: false; error: string };

/** Renames one of the person's passkeys. Another's, or one that is gone, is "not found" alike. */
export async function renamePasskey(userId: string, passkeyId: unknown, rawName: unknown): Promise<RenameOutcome> {
  const name = checkPasskeyName(rawName);
  if (!name.ok) return name;
  if (!isCredentialId(passkeyId)) return { ok: false, error: PASSKEY_NOT_FOUND };
  const client = await requestClient();
  const count = await db.$transaction(async (tx) => {
    const renamed = await tx.passkey.updateMany({ where: { id: passkeyId, userId }, data: { name: name.value } });
    if (renamed.count === 1) await recordEvent({ userId, kind: "passkey-renamed", client, details: { passkeyName: name.value } }, tx);
    return renamed.count;
  });
  if (count === 1) logEvent("passkey.renamed", { userId, passkeyId });
  return count === 1 ? { ok: true, name: name.value } : { ok: false, error: PASSKEY_NOT_FOUND };
}

export const PASSKEY_NOT_FOUND = "That passkey is not on your account.";

/**
 * Removes one of the person's passkeys; false when it is not theirs, or already gone. Throws LastWayInError, changing
 * nothing, when it is the account's last way in (no password, no other passkey, no provider connection).
 */
export async function removePasskey(userId: string, passkeyId: unknown): Promise<boolean> {
  if (!isCredentialId(passkeyId)) return false;
  const client = await requestClient();
  const count = await removingWayIn(userId, async (tx, guard) => {
    const gone = await tx.passkey.findFirst({ where: { id: passkeyId, userId }, select: { name: true, user: { select: { email: true } } } });
    if (!gone) return 0;
    await guard({ passkeys: 1 });
    const removed = await tx.passkey.deleteMany({ where: { id: passkeyId, userId } });
    if (removed.count !== 1) return 0;
    await recordEvent({ userId, kind: "passkey-removed", client, details: { passkeyName: gone.name } }, tx);
    await enqueueMail(passkeyRemovedMail(gone.user.email, gone.name, appLink(SECURITY_PATH)), tx);
    return 1;
  });
  if (count === 1) wakeMailSender();
  if (count === 1) logEvent("passkey.removed", { userId, passkeyId });
  return count === 1;
}
