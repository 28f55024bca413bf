import "server-only";
// `npm run keys:rotate`: publishes the next access-token key now, to sign from one JWKS cache period on, and
// deletes keys no verifier needs any more. Nobody's token fails: see lib/keys/schedule.ts for the timeline.
import { accessTokenConfig, sessionConfig } from "../config";
import { TesseraError } from "../errors";
import { publishDelaySeconds, retireAfterSeconds } from "./keyring.server";
import { retiredKeysAt, signingKeyAt } from "./schedule";
import { deleteKeys, insertKey, listKeys } from "./store.server";

export type RotationErrorCode = "configured-key" | "pending";

export class RotationError extends TesseraError<RotationErrorCode> {
  override name = "RotationError";
}

export interface Rotation {
  kid: string;
  activatesAt: Date;
  /** Keys deleted because every token they signed has expired. */
  retired: string[];
}

/**
 * Publishes the next key. Refuses while a published key has yet to start signing (one rotation at a time, so a
 * key is never skipped before verifiers have it), and when the key comes from ACCESS_TOKEN_PRIVATE_KEY.
 */
export async function rotateSigningKey(now: Date = new Date()): Promise<Rotation> {
  const config = accessTokenConfig();
  if (config.privateKeyPem !== null) {
    throw new RotationError("configured-key", "ACCESS_TOKEN_PRIVATE_KEY is set: rotate by changing it, not with this command.");
  }
  const keys = await listKeys();
  const newest = keys.at(-1);
  if (newest && newest.activatesAt > now) {
    throw new RotationError("pending", `key ${newest.kid} is published and signs from ${newest.activatesAt.toISOString()}; rotate again after that.`);
  }
  const activatesAt = new Date(now.getTime() + (newest ? publishDelaySeconds(config) * 1000 : 0));
  // The unique generation decides a race between two rotations: the loser reports the winner's key as pending.
  if (!(await insertKey((newest?.generation ?? 0) + 1, config.algorithm, activatesAt, sessionConfig().signingSecret))) {
    throw new RotationError("pending", "another rotation published a key at the same moment.");
  }
  const after = await listKeys();
  const retired = retiredKeysAt(after, now, retireAfterSeconds()).map((key) => key.kid);
  await deleteKeys(retired);
  const published = after.at(-1)!;
  return { kid: published.kid, activatesAt: published.activatesAt, retired };
}

/** The key that signs at `now` according to the stored rows (for the command's report). */
export async function currentSigningKid(now: Date = new Date()): Promise<string | undefined> {
  return signingKeyAt(await listKeys(), now)?.kid;
}
