import "server-only";
// Signed-out tokens that have not expired yet. A token is looked up by its id (jti), never by its text. Rows
// are kept only until the token would have expired anyway.
import { db } from "./db.server";

/** Revokes a token until its expiry. Idempotent: signing out twice is not an error. */
export async function revokeToken(tokenId: string, expiresAt: Date): Promise<void> {
  await db.revokedToken.upsert({ where: { jti: tokenId }, create: { jti: tokenId, expiresAt }, update: {} });
  // Sign-outs are rare next to requests: each one sweeps the expired rows, an indexed range delete.
  await purgeExpiredRevocations();
}

export async function isTokenRevoked(tokenId: string): Promise<boolean> {
  return (await db.revokedToken.findUnique({ where: { jti: tokenId }, select: { jti: true } })) !== null;
}

/** Deletes the rows of tokens that have expired; returns how many. */
export async function purgeExpiredRevocations(now: Date = new Date()): Promise<number> {
  const { count } = await db.revokedToken.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
