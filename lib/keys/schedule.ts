// When each access-token key signs and how long it stays published, from the keys' activation times alone, so every
// instance reading the same rows reaches the same answer at the same moment. Pure: no clock but the one passed in.
//
//   key n published ──── one JWKS cache period (+ one keyring refresh) ──── key n signs ──── key n+1 signs ──┐
//   key n stays published until the last token it signed has expired (access-token lifetime + clock skew) ───┘

export interface ScheduledKey {
  kid: string;
  generation: number;
  activatesAt: Date;
}

/** Sorted by generation, oldest first. */
const byGeneration = <K extends ScheduledKey>(keys: readonly K[]) => [...keys].sort((a, b) => a.generation - b.generation);

/**
 * The key that signs at `now`: the newest one already active. Before the first key's activation (it activates at
 * once when made) the oldest one signs, so there is always a signer when there is a key.
 */
export function signingKeyAt<K extends ScheduledKey>(keys: readonly K[], now: Date): K | undefined {
  const sorted = byGeneration(keys);
  return sorted.findLast((key) => key.activatesAt <= now) ?? sorted[0];
}

/**
 * The keys verifiers must know at `now`: the signing key, any key published to sign next, and every older key
 * that signed until less than `retireAfterSeconds` ago (the longest a token it signed can still verify).
 */
export function publishedKeysAt<K extends ScheduledKey>(keys: readonly K[], now: Date, retireAfterSeconds: number): K[] {
  const sorted = byGeneration(keys);
  const signing = signingKeyAt(sorted, now);
  if (!signing) return [];
  return sorted.filter((key, index) => {
    if (key.generation >= signing.generation) return true;
    const successor = sorted[index + 1]!;
    return successor.activatesAt.getTime() + retireAfterSeconds * 1000 > now.getTime();
  });
}

/** Keys no verifier needs any more: older than every published one. Safe to delete. */
export function retiredKeysAt<K extends ScheduledKey>(keys: readonly K[], now: Date, retireAfterSeconds: number): K[] {
  const published = new Set(publishedKeysAt(keys, now, retireAfterSeconds).map((key) => key.kid));
  return keys.filter((key) => !published.has(key.kid));
}
