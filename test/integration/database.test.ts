// The database as prepared for the app (scripts/prepare-db.mjs, which made this run's database too).
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/db.server";

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
