import "server-only";
// One-time tokens: the secret in a mailed link (a password reset, an email confirmation, an email change). Each
// is bound to one purpose, one account and the address it was sent to; it expires, and it is spent by one
// conditional update, so that of two requests with the same token exactly one wins. Opening a link (GET) only
// looks the token up; only the form's POST spends it, so a mail scanner that follows links spends nothing.
import { db, holdUserRow } from "../db/db.server";
import type { Database } from "../db/client.server";
import { hashOpaqueToken, isOpaqueToken, newOpaqueToken } from "./opaque-tokens.server";

/** "wasnt-me": the link in a new-sign-in mail that ends every session and starts a password reset. */
export type TokenPurpose = "password-reset" | "email-confirmation" | "email-change" | "wasnt-me";

/** What a usable token stands for. */
export interface TokenGrant {
  purpose: TokenPurpose;
  userId: string;
  /** The address the link was mailed to: for an email change, the account's new address. */
  email: string;
}

type Queries = Pick<Database, "oneTimeToken">;
type SpendQueries = Pick<Database, "oneTimeToken" | "$executeRaw">;

const PURPOSES: readonly TokenPurpose[] = ["password-reset", "email-confirmation", "email-change", "wasnt-me"];

function toPurpose(value: string): TokenPurpose {
  const purpose = PURPOSES.find((known) => known === value);
  if (!purpose) throw new TypeError(`unknown one-time token purpose: ${value}`);
  return purpose;
}

/**
 * A new token for `grant`, valid `ttlSeconds`, and the statement that stores its hash. The statement is not run
 * here: it goes into the transaction that also queues the mail carrying the token, so neither exists alone.
 */
export function issueOneTimeToken(grant: TokenGrant, ttlSeconds: number, now = new Date(), queries: Queries = db) {
  const token = newOpaqueToken();
  const insert = queries.oneTimeToken.create({
    data: {
      tokenHash: hashOpaqueToken(token),
      purpose: grant.purpose,
      userId: grant.userId,
      email: grant.email,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
    },
    select: { tokenHash: true },
  });
  return { token, insert };
}

/** Unspent, unexpired tokens of these purposes, by their hash. */
function usable(token: string, purposes: readonly TokenPurpose[], now: Date) {
  return { tokenHash: hashOpaqueToken(token), purpose: { in: [...purposes] }, spentAt: null, expiresAt: { gt: now } };
}

/** What the token grants if it is usable now, without spending it: for showing the link's form (GET). */
export async function findUsableToken(
  token: unknown,
  purposes: readonly TokenPurpose[],
  now = new Date(),
  queries: Queries = db,
): Promise<TokenGrant | null> {
  if (!isOpaqueToken(token)) return null;
  const row = await queries.oneTimeToken.findFirst({
    where: usable(token, purposes, now),
    select: { purpose: true, userId: true, email: true },
  });
  return row && { ...row, purpose: toPurpose(row.purpose) };
}

/**
 * Spends the token if it is usable now, and returns what it granted; null when it is not (unknown, altered,
 * expired, of another purpose, or spent: by this request's rival too). Run it inside the transaction that does
 * what the token allows, so that a failure there leaves the token unspent. It holds the account's row first
 * (holdUserRow), before the token's, as every transaction that writes an account's rows does.
 */
export async function spendOneTimeToken(
  queries: SpendQueries,
  token: unknown,
  purposes: readonly TokenPurpose[],
  now = new Date(),
): Promise<TokenGrant | null> {
  if (!isOpaqueToken(token)) return null;
  // What it grants never changes once issued; only whether it is spent does, and the write below decides that.
  const row = await queries.oneTimeToken.findUnique({ where: { tokenHash: hashOpaqueToken(token) }, select: { purpose: true, userId: true, email: true } });
  if (!row) return null;
  await holdUserRow(queries, row.userId);
  // The condition is checked by the write itself: of two concurrent spends, only one matches the row.
  const { count } = await queries.oneTimeToken.updateMany({ where: usable(token, purposes, now), data: { spentAt: now } });
  if (count !== 1) return null;
  return { ...row, purpose: toPurpose(row.purpose) };
}

/**
 * Kills every live token of these purposes for the account: a password reset or change ends the other reset
 * links, an email change the links sent to the old address. Not async: it joins the caller's transaction.
 */
export function revokeOneTimeTokens(userId: string, purposes: readonly TokenPurpose[], now = new Date(), queries: Queries = db) {
  return queries.oneTimeToken.updateMany({
    where: { userId, purpose: { in: [...purposes] }, spentAt: null },
    data: { spentAt: now },
  });
}

/** Deletes tokens that expired a day ago or more: nothing can use them, and they name an address. */
export async function purgeExpiredOneTimeTokens(now = new Date()): Promise<number> {
  const { count } = await db.oneTimeToken.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - 86_400_000) } } });
  return count;
}
