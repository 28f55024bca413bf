// The database as prepared for the app (scripts/prepare-db.mjs, which made this run's database too).
import { createRequire } from "node:module";
import Sqlite from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { createDatabaseClient } from "@/lib/db/client.server";
import { db, isDatabaseError, isForeignKeyViolation, isUniqueViolation } from "@/lib/db/db.server";
import { databaseUrl, sqliteFilePath } from "@/lib/db/url";
import { createUser } from "@/lib/users/store.server";
import { newEmail, PASSWORD } from "../support/people";

describe.runIf(process.env.TEST_DATABASE !== "postgresql")("the SQLite database", () => {
  it("keeps a write-ahead log, so a commit is one append instead of a journal file made and deleted", async () => {
    const rows = await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    expect(rows).toEqual([{ journal_mode: "wal" }]);
  });

  it("still syncs every commit in full, so a committed sign-out survives a power cut", async () => {
    const rows = await db.$queryRawUnsafe<{ synchronous: bigint | number }[]>("PRAGMA synchronous");
    expect(rows.map((row) => Number(row.synchronous))).toEqual([2]); // FULL
  });

  it("has one copy of SQLite in the process: Prisma's adapter loads the better-sqlite3 the direct reader loads", () => {
    // Two copies in one process do not see each other's locks (a write by one went through while the other held
    // the write lock), and one closing the file drops the other's: how SQLite says databases get corrupted.
    const ours = createRequire(import.meta.url);
    const adapters = createRequire(ours.resolve("@prisma/adapter-better-sqlite3"));
    expect(adapters.resolve("better-sqlite3")).toBe(ours.resolve("better-sqlite3"));
  });

  it("a query outside any transaction waits for every one open, however many were waiting together", { timeout: 30_000 }, async () => {
    const app = createDatabaseClient(databaseUrl());
    const probe = `probe-${Date.now()}`;
    const found = () => app.$queryRawUnsafe<{ n: number | bigint }[]>('SELECT count(*) AS n FROM "_prisma_migrations" WHERE "id" = ?', probe).then(([row]) => Number(row!.n));
    const deferred = () => {
      let resolve!: () => void;
      return { promise: new Promise<void>((done) => (resolve = done)), resolve };
    };
    const firstOpen = deferred();
    const firstMayEnd = deferred();
    const lastInserted = deferred();
    const lastMayEnd = deferred();
    try {
      const first = app.$transaction(async (tx) => {
        firstOpen.resolve();
        await firstMayEnd.promise;
        await tx.user.count();
      });
      await firstOpen.promise;
      // Two transactions queue behind the first, together.
      const second = app.$transaction((tx) => tx.user.count());
      const last = app
        .$transaction(async (tx) => {
          await tx.$executeRawUnsafe(
            'INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "applied_steps_count") VALUES (?, \'x\', ?, 0, 0)',
            probe,
            probe,
          );
          lastInserted.resolve();
          await lastMayEnd.promise;
          throw new Error("rolled back on purpose");
        })
        .catch(() => undefined);
      firstMayEnd.resolve();
      await first;
      await second;
      await lastInserted.promise;
      // The last one is open with a row it will roll back: a plain read must wait for it, not read inside it.
      const read = found();
      await new Promise((resolve) => setTimeout(resolve, 50));
      lastMayEnd.resolve();
      await last;
      expect(await read).toBe(0);
    } finally {
      await app.$disconnect();
    }
  });

  it("a transaction whose COMMIT fails leaves nothing open: the process's next query answers", { timeout: 30_000 }, async () => {
    const app = createDatabaseClient(databaseUrl());
    try {
      // A constraint checked only at COMMIT (deferred), so the COMMIT itself is what fails: SQLite then keeps the
      // transaction open, and Prisma, whose COMMIT threw, never tells the adapter it ended.
      const failed = await app
        .$transaction(async (tx) => {
          await tx.$executeRawUnsafe("PRAGMA defer_foreign_keys = ON");
          await tx.$executeRawUnsafe(`INSERT INTO "recovery_codes" ("codeHash", "userId") VALUES ('dangling-${Date.now()}', 'no-such-user')`);
        })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(String(failed)).toMatch(/ForeignKeyConstraintViolation/);
      const answered = await Promise.race([app.user.count().then(() => "answered"), new Promise((resolve) => setTimeout(resolve, 5_000, "hung"))]);
      expect(answered).toBe("answered");
      expect(await app.recoveryCode.count({ where: { userId: "no-such-user" } })).toBe(0);
      expect(await app.$transaction((tx) => tx.recoveryCode.count())).toBeGreaterThanOrEqual(0);
    } finally {
      await app.$disconnect();
    }
  });

  it("a transaction refused while another process holds the write lock leaves nothing open: both go on afterwards", { timeout: 30_000 }, async () => {
    // Another process on the same file (a second server, `npm run keys:rotate`) in a long write.
    const other = new Sqlite(sqliteFilePath(databaseUrl()));
    const app = createDatabaseClient(databaseUrl());
    try {
      other.prepare("BEGIN IMMEDIATE").run();
      // The app's transaction waits its turn (the busy timeout), then gives up: the database is unavailable, a 503.
      const refused = await app.$transaction((tx) => tx.user.count()).then(
        () => null,
        (error: unknown) => error,
      );
      expect(isDatabaseError(refused)).toBe(true);
      other.prepare("ROLLBACK").run();

      // Once the lock is free, the app writes again, and so does the other process: the refused transaction held
      // neither this process's connection nor the file.
      expect(await app.$transaction((tx) => tx.$executeRawUnsafe('DELETE FROM "_prisma_migrations" WHERE 0'))).toBe(0);
      expect(await app.$executeRawUnsafe('DELETE FROM "_prisma_migrations" WHERE 0')).toBe(0);
      other.prepare("BEGIN IMMEDIATE").run();
      other.prepare("ROLLBACK").run();
    } finally {
      if (other.inTransaction) other.prepare("ROLLBACK").run();
      other.close();
      await app.$disconnect();
    }
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

describe("a write that names a row that is gone", () => {
  const orphan = { sessionId: "no-such-session-0000", createdAt: new Date(), expiresAt: new Date(Date.now() + 60_000) };
  const failureOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);

  it("is known as a foreign key violation, through Prisma's query API and through raw SQL alike", async () => {
    const throughApi = await failureOf(db.refreshToken.create({ data: { tokenHash: `fk-api-${Date.now()}`, ...orphan } }));
    const throughSql = await failureOf(db.$executeRaw`
      INSERT INTO "refresh_tokens" ("tokenHash", "sessionId", "createdAt", "expiresAt")
      VALUES (${`fk-sql-${Date.now()}`}, ${orphan.sessionId}, ${orphan.createdAt}, ${orphan.expiresAt})`);
    expect([isForeignKeyViolation(throughApi), isForeignKeyViolation(throughSql)]).toEqual([true, true]);
    expect(isUniqueViolation(throughSql)).toBe(false);
  });

  it("is not confused with another refused write", async () => {
    const existing = await createUser(newEmail("database"), PASSWORD);
    const duplicate = await failureOf(db.user.create({ data: { id: `duplicate-${existing.id}`, email: existing.email } }));
    expect([isUniqueViolation(duplicate), isForeignKeyViolation(duplicate)]).toEqual([true, false]);
    expect(isForeignKeyViolation(new Error("insert or update violates foreign key constraint"))).toBe(false);
  });
});
