// A fresh, migrated database for one test run, SQLite or PostgreSQL, dropped afterwards. PostgreSQL is taken
// from TEST_POSTGRES_URL (default: the local server, trust auth). Where it cannot be reached the run is skipped
// with a loud line, except in CI (CI=true), where it is required.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { prepareDatabase } from "./prepare-db.mjs";

/** The PostgreSQL server where test runs (and the benchmark) create their own databases. */
export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** Drops a database made on ADMIN_URL, even with connections still open to it. */
export async function dropPostgresDatabase(name) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.end();
}

/** Creates and migrates a database; resolves to { url, drop } or, when PostgreSQL is out of reach, null. */
export async function createTestDatabase(provider) {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "tessera-test-"));
    const url = `file:${join(dir, "test.db")}`;
    await prepareDatabase({ ...process.env, DATABASE_URL: url });
    return { url, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (provider !== "postgresql") throw new Error(`Unknown test database "${provider}": use sqlite or postgresql.`);

  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    const line = `PostgreSQL at ${new URL(ADMIN_URL).host} is not reachable (${error.message})`;
    if (process.env.CI === "true") throw new Error(`${line}: CI requires it.`);
    console.warn(`\n${"!".repeat(80)}\n!! SKIPPING the PostgreSQL run: ${line}.\n!! Start it, or set TEST_POSTGRES_URL.\n${"!".repeat(80)}\n`);
    return null;
  }
  const name = `tessera_test_${process.pid}_${Date.now().toString(36)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
  await prepareDatabase({ ...process.env, DATABASE_URL: url });
  return {
    url,
    drop: () => dropPostgresDatabase(name),
  };
}
