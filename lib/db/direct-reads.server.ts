import "server-only";
// The read every signed-in request makes (is this session live?) goes to SQLite directly, not through Prisma: a
// connection of its own, for SELECTs only, with each statement prepared once. Through Prisma the same one-row
// read paid its client, its query compiler and a statement compiled anew each time (bench/page-profile.mjs).
// A second connection sees exactly what has been committed, as a request after a sign-out must; a transaction
// still open on Prisma's connection stays invisible until it commits, as it should.
import Database from "better-sqlite3";
import { databaseProvider, databaseUrl, sqliteFilePath } from "./url";

type Statement = Database.Statement<unknown[], unknown>;

interface DirectReader {
  connection: Database.Database;
  statements: Map<string, Statement>;
}

const globalForReader = globalThis as unknown as { tesseraDirectReader?: DirectReader | null };

function reader(): DirectReader | null {
  if (globalForReader.tesseraDirectReader !== undefined) return globalForReader.tesseraDirectReader;
  const url = databaseUrl();
  if (databaseProvider(url) !== "sqlite") return (globalForReader.tesseraDirectReader = null);
  // Throws while the file cannot be opened; the next call tries again.
  const connection = new Database(sqliteFilePath(url), { fileMustExist: true, timeout: 5000 });
  // Reads only, whatever a caller passes: a write here would bypass Prisma's transactions.
  connection.pragma("query_only = ON");
  return (globalForReader.tesseraDirectReader = { connection, statements: new Map() });
}

/**
 * The rows `sql` selects, with `?` placeholders bound to `params`, when the database is SQLite; null on any other
 * database, whose callers read through Prisma. Synchronous: a primary-key read takes microseconds.
 */
export function selectDirect<Row>(sql: string, params: readonly unknown[]): Row[] | null {
  const direct = reader();
  if (!direct) return null;
  let statement = direct.statements.get(sql);
  if (!statement) {
    statement = direct.connection.prepare(sql);
    direct.statements.set(sql, statement);
  }
  return statement.all(...params) as Row[];
}
