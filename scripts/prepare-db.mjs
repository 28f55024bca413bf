// Brings the database named by DATABASE_URL (default: a SQLite file in data/) up to date: creates a SQLite file's
// folder, generates the Prisma clients if they are missing, and applies migrations (deploy: never a reset, never
// data loss). PostgreSQL databases must exist already.
import { existsSync, mkdirSync } from "node:fs";
import Database from "better-sqlite3";
import { dirname, resolve } from "node:path";
import { bin, root, run } from "./lib.mjs";

export async function prepareDatabase(env = process.env) {
  const url = env.DATABASE_URL?.trim() || "file:./data/tessera.db";
  const sqliteFile = url.startsWith("file:") ? resolve(root, url.slice(5).split("?")[0]) : null;
  if (sqliteFile) mkdirSync(dirname(sqliteFile), { recursive: true });
  for (const database of ["sqlite", "postgresql"]) {
    if (existsSync(`${root}lib/db/generated/${database}/client.ts`)) continue;
    await run(bin("prisma"), ["generate", "--schema", `prisma/${database}/schema.prisma`], { env, quiet: true });
  }
  await run(bin("prisma"), ["migrate", "deploy"], { env, quiet: true });
  if (sqliteFile) keepWriteAheadLog(sqliteFile);
  console.log(`Database ready and migrated: ${url.replace(/\/\/[^@/]*@/, "//…@")}`);
}

/**
 * SQLite's write-ahead log instead of its rollback journal: a commit is one append and one fsync of the log,
 * instead of creating, syncing and deleting a journal file, and readers never wait for a writer. Every sign-in
 * writes (throttle, session row) on the server's one thread, so this is its throughput (docs/decisions/0006).
 * The mode is stored in the database file, so setting it once here holds for every connection. (The app's
 * connection syncs every commit: lib/db/client.server.ts.)
 */
function keepWriteAheadLog(file) {
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
  } finally {
    db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await prepareDatabase();
