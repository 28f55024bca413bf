import "server-only";
// Recovery codes (NIST's look-up secrets): ten per set, each 12 base32 characters, 60 random bits, shown once as
// "abcd-efgh-ijkl" and stored as the SHA-256 of the normalized code only. 60 bits of entropy need no salt or slow
// hash: a dump of the hashes cannot be searched. Each is spent by one conditional update (usedAt IS NULL), so of
// several uses at once exactly one wins. A new set replaces the old one in the same transaction.
import { createHash, randomInt } from "node:crypto";
import type { Database } from "../db/client.server";
import { db } from "../db/db.server";
import { BASE32_ALPHABET } from "./base32";

export const RECOVERY_CODE_COUNT = 10;
/** 12 characters of a 32-letter alphabet: 60 bits. */
const CODE_LENGTH = 12;
const GROUP = 4;

type Queries = Pick<Database, "recoveryCode">;

/** A new code as shown: "abcd-efgh-ijkl". */
export function newRecoveryCode(): string {
  const chars = Array.from({ length: CODE_LENGTH }, () => BASE32_ALPHABET[randomInt(32)]!.toLowerCase()).join("");
  return chars.match(new RegExp(`.{${GROUP}}`, "g"))!.join("-");
}

/** A code as typed (any case, spaces or hyphens anywhere), reduced to its 12 characters; null when it cannot be one. */
export function normalizeRecoveryCode(raw: string): string | null {
  const clean = raw.replace(/[\s-]/g, "").toLowerCase();
  return /^[a-z2-7]{12}$/.test(clean) ? clean : null;
}

export function hashRecoveryCode(normalized: string): string {
  return createHash("sha256").update(normalized).digest("hex");
}

/** Kills the account's codes and stores a new set; returns the new codes, to show once. Run it in a transaction. */
export async function replaceRecoveryCodes(userId: string, queries: Queries, now = new Date()): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await queries.recoveryCode.deleteMany({ where: { userId } });
  await queries.recoveryCode.createMany({
    data: codes.map((code) => ({ codeHash: hashRecoveryCode(normalizeRecoveryCode(code)!), userId, createdAt: now })),
  });
  return codes;
}

/** Spends one of the account's unused codes; false when it is not one (wrong, used, another account's). */
export async function spendRecoveryCode(userId: string, raw: string, queries: Queries, now = new Date()): Promise<boolean> {
  const code = normalizeRecoveryCode(raw);
  if (code === null) return false;
  const { count } = await queries.recoveryCode.updateMany({
    where: { codeHash: hashRecoveryCode(code), userId, usedAt: null },
    data: { usedAt: now },
  });
  return count === 1;
}

export function countUnusedRecoveryCodes(userId: string, queries: Queries = db): Promise<number> {
  return queries.recoveryCode.count({ where: { userId, usedAt: null } });
}
