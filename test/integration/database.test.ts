// The database as prepared for the app (scripts/prepare-db.mjs, which made this run's database too).
import { describe, expect, it } from "vitest";
import { createDatabaseClient } from "@/lib/db/client.server";
import { db, isDatabaseError } from "@/lib/db/db.server";
import { databaseUrl } from "@/lib/db/url";

describe.runIf(process.env.TEST_DATABASE !== "postgresql")("the SQLite database", () => {
  it("keeps a write-ahead log, so a commit is one append instead of a journal file made and deleted", async () => {
    const rows = await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    expect(rows).toEqual([{ journal_mode: "wal" }]);
  });

  it("still syncs every commit in full, so a committed sign-out survives a power cut", async () => {
    const rows = await db.$queryRawUnsafe<{ synchronous: bigint | number }[]>("PRAGMA synchronous");
    expect(rows.map((row) => Number(row.synchronous))).toEqual([2]); // FULL
  });
});

describe.runIf(process.env.TEST_DATABASE === "postgresql")("the PostgreSQL pool", () => {
  it("running out of connections is the database being unavailable (a 503), not a failure of our code (a 500)", async () => {
    const pool = createDatabaseClient(databaseUrl(), { DATABASE_POOL_SIZE: "1", DATABASE_CONNECT_TIMEOUT_MS: "200" });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holdsIt!: () => void;
    const connectionTaken = new Promise<void>((resolve) => (holdsIt = resolve));
    try {
      // The pool's one connection held by a transaction that waits, then a second query that finds none free.
      const holding = pool.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        holdsIt();
        await held;
      }, { timeout: 10_000 });
      await connectionTaken; // the outcome, not a guess at how long taking the connection takes
      const error = await pool.$queryRaw`SELECT 1`.then(() => null, (failure: unknown) => failure);
      release();
      await holding;
      expect(error).toBeInstanceOf(Error);
      expect(isDatabaseError(error)).toBe(true);
    } finally {
      release();
      await pool.$disconnect();
    }
  });
});
