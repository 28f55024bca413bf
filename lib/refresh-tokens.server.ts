import "server-only";
// Refresh tokens for API sessions (OAuth 2.0 Security BCP): opaque random strings, stored only as their SHA-256,
// spent by one refresh each. A spent token presented again means two parties hold it: the session ends.
import { createHash, randomBytes } from "node:crypto";
import { db } from "./db.server";
import { endSessionsWhere } from "./sessions.server";

export type RefreshTokenErrorCode = "invalid" | "reused";

export class RefreshTokenError extends Error {
  override name = "RefreshTokenError";
  constructor(readonly code: RefreshTokenErrorCode) {
    super(code === "reused" ? "refresh token was already used; the session has ended" : "refresh token is not valid");
  }
}

/** 256 random bits in base64url: 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function hashOf(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function issueRefreshToken(sessionId: string, expiresAt: Date): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.refreshToken.create({ data: { tokenHash: hashOf(token), sessionId, expiresAt } });
  return token;
}

/**
 * Spends a refresh token and returns its session's id. Throws RefreshTokenError: "invalid" for a token that is
 * unknown, expired or whose session is over; "reused" for one already spent, after ending its session.
 */
export async function spendRefreshToken(token: unknown, now = new Date()): Promise<string> {
  if (typeof token !== "string" || !TOKEN_PATTERN.test(token)) throw new RefreshTokenError("invalid");
  const tokenHash = hashOf(token);
  const row = await db.refreshToken.findUnique({
    where: { tokenHash },
    select: { sessionId: true, expiresAt: true, spentAt: true, session: { select: { revokedAt: true, expiresAt: true } } },
  });
  if (!row) throw new RefreshTokenError("invalid");
  if (row.spentAt !== null) return reuse(row.sessionId, now);
  if (row.expiresAt <= now || row.session.revokedAt !== null || row.session.expiresAt <= now) {
    throw new RefreshTokenError("invalid");
  }
  // Spent only if nobody spent it in between: of two refreshes racing with one token, exactly one wins, and
  // the other is treated as the reuse it is indistinguishable from.
  const { count } = await db.refreshToken.updateMany({ where: { tokenHash, spentAt: null }, data: { spentAt: now } });
  if (count !== 1) return reuse(row.sessionId, now);
  return row.sessionId;
}

async function reuse(sessionId: string, now: Date): Promise<never> {
  await endSessionsWhere({ id: sessionId }, now);
  throw new RefreshTokenError("reused");
}

/** The session this refresh token belongs to, whether or not it was spent; null for an unknown token. */
export async function sessionOfRefreshToken(token: unknown): Promise<string | null> {
  if (typeof token !== "string" || !TOKEN_PATTERN.test(token)) return null;
  const row = await db.refreshToken.findUnique({ where: { tokenHash: hashOf(token) }, select: { sessionId: true } });
  return row?.sessionId ?? null;
}
