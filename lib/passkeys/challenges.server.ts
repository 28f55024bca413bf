import "server-only";
// WebAuthn challenges: random, stored, single use, short-lived. A verification spends its challenge with one
// conditional delete (this challenge, for this purpose and person, not yet expired) before anything else is
// checked: of two verifications carrying one challenge exactly one gets the row, and a failed attempt burns it too.
import { randomBytes } from "node:crypto";
import { db } from "../db/db.server";

export const CHALLENGE_TTL_SECONDS = 5 * 60;

/**
 * What a challenge is for. A registration's and a step-up's belong to the signed-in person (userId); a sign-in's
 * to nobody yet (userId null), so neither can stand in for the other.
 */
export type ChallengePurpose = "registration" | "authentication";

export interface ChallengeBinding {
  purpose: ChallengePurpose;
  /** The person it was issued to; null for a passwordless sign-in, where nobody is known yet. */
  userId: string | null;
}

export interface IssuedChallenge {
  /** base64url, as the browser sends it back in clientDataJSON: the row's key. */
  challenge: string;
  /** The same 256 random bits, for SimpleWebAuthn's options (a string there would be taken as UTF-8 text). */
  bytes: Uint8Array<ArrayBuffer>;
}

/** A new challenge (256 random bits), stored until it is spent or expires. Expired ones are swept first. */
export async function issueChallenge(binding: ChallengeBinding, now = new Date()): Promise<IssuedChallenge> {
  await purgeExpiredChallenges(now);
  const bytes = new Uint8Array(randomBytes(32));
  const challenge = Buffer.from(bytes).toString("base64url");
  await db.webAuthnChallenge.create({
    data: {
      challenge,
      purpose: binding.purpose,
      userId: binding.userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + CHALLENGE_TTL_SECONDS * 1000),
    },
  });
  return { challenge, bytes };
}

/** Spends a challenge: true for exactly one caller, and only while it is live and bound as asked. */
export async function spendChallenge(challenge: unknown, binding: ChallengeBinding, now = new Date()): Promise<boolean> {
  if (typeof challenge !== "string" || challenge.length === 0 || challenge.length > 128) return false;
  const { count } = await db.webAuthnChallenge.deleteMany({
    where: { challenge, purpose: binding.purpose, userId: binding.userId, expiresAt: { gt: now } },
  });
  return count === 1;
}

/** Removes challenges nobody can spend any more. Cheap (an index on expiresAt); run on every issue. */
export async function purgeExpiredChallenges(now = new Date()): Promise<number> {
  const { count } = await db.webAuthnChallenge.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
