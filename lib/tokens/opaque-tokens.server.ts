import "server-only";
// Opaque tokens: random strings that mean something only to the database, which keeps their SHA-256 alone (a
// dump of it opens nothing). Refresh tokens and the one-time tokens mailed in links are both of this kind.
import { createHash, randomBytes } from "node:crypto";

/** 256 random bits in base64url: 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newOpaqueToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Whether a value has the shape of one of our tokens: anything else is refused before the database is asked. */
export function isOpaqueToken(token: unknown): token is string {
  return typeof token === "string" && TOKEN_PATTERN.test(token);
}

/** What the database stores and looks tokens up by. A full 256-bit preimage: no salt or slow hash needed. */
export function hashOpaqueToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
