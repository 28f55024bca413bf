import "server-only";
// Makes the Prisma client for a database URL: the only module that knows about driver adapters. The app's shared
// instance is in lib/db/db.server.ts.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { isolatingTransactions } from "./sqlite-transactions.server";
import { databaseProvider, sqliteFilePath } from "./url";

/**
 * Both generated clients come from the same models (prisma/models.prisma; `npm test` fails if their schemas
 * drift), so they share one API. The SQLite client's type stands for both.
 */
export type Database = SqliteClient;

type Env = Record<string, string | undefined>;

function whole(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number (got "${raw}").`);
  return value;
}

/** PostgreSQL pool settings; TLS comes from the URL (`?sslmode=require`, `verify-full`, …), as libpq reads it. */
export function postgresPoolConfig(url: string, env: Env = process.env) {
  return {
    connectionString: url,
    max: whole(env, "DATABASE_POOL_SIZE", 10),
    // A query that hangs must not hold a request (and a connection) forever.
    statement_timeout: whole(env, "DATABASE_STATEMENT_TIMEOUT_MS", 5000),
    connectionTimeoutMillis: whole(env, "DATABASE_CONNECT_TIMEOUT_MS", 5000),
  };
}

export function createDatabaseClient(url: string, env: Env = process.env): Database {
  if (databaseProvider(url) === "postgresql") {
    const pool = postgresPoolConfig(url, env);
    return new PostgresClient({
      adapter: new PrismaPg(pool),
      // A transaction waits for a free connection as long as any query does (Prisma's own default is 2 s), so a
      // burst that fills the pool queues instead of failing while connections are still coming free. Once started
      // it may run three statements' time in all: Prisma's default, 5 s, is one statement's, and a refresh that
      // waits its turn for a row lock in a burst on a loaded machine ran past it (e2e/instances.spec.ts).
      transactionOptions: { maxWait: pool.connectionTimeoutMillis, timeout: 3 * pool.statement_timeout },
    }) as unknown as Database;
  }
  const client = new SqliteClient({ adapter: isolatingTransactions(new PrismaBetterSQLite3({ url: sqliteFilePath(url) })) });
  // The database keeps a write-ahead log (scripts/prepare-db.mjs), where better-sqlite3's default, synchronous =
  // NORMAL, may lose the last commits to a power cut: a sign-out among them would bring its session back. FULL
  // syncs the log at every commit. The setting is per connection and the adapter has one: issued first, it runs
  // before any other statement. (A Prisma query runs only once something asks for its result: hence the catch.
  // Should it fail, the database is unreachable, and the next query reports that.)
  client.$executeRawUnsafe("PRAGMA synchronous = FULL").catch(() => undefined);
  return client;
}
