// lib/denylist.server.ts against a real, migrated SQLite file.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db.server";
import { isTokenRevoked, purgeExpiredRevocations, revokeToken } from "@/lib/denylist.server";

const inOneHour = () => new Date(Date.now() + 3_600_000);
let counter = 0;
const tokenId = () => `token-${Date.now()}-${counter++}-padding`;

describe("denylist", () => {
  it("revokes a token by its id until it expires", async () => {
    const id = tokenId();
    expect(await isTokenRevoked(id)).toBe(false);
    await revokeToken(id, inOneHour());
    expect(await isTokenRevoked(id)).toBe(true);
  });

  it("lets a token be revoked twice without error or a second row", async () => {
    const id = tokenId();
    await revokeToken(id, inOneHour());
    await revokeToken(id, inOneHour());
    expect(await db.revokedToken.count({ where: { jti: id } })).toBe(1);
  });

  it("purges rows of tokens that have expired, and only those", async () => {
    const expired = tokenId();
    const live = tokenId();
    await db.revokedToken.create({ data: { jti: expired, expiresAt: new Date(Date.now() - 1000) } });
    await revokeToken(live, inOneHour()); // each revocation also sweeps
    expect(await db.revokedToken.findUnique({ where: { jti: expired } })).toBeNull();
    expect(await isTokenRevoked(live)).toBe(true);
    expect(await purgeExpiredRevocations(new Date(Date.now() + 7_200_000))).toBeGreaterThanOrEqual(1);
    expect(await isTokenRevoked(live)).toBe(false);
  });
});
