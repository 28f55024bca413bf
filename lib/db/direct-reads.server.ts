import "server-only";
// The read every signed-in request makes (is this session live?) goes to SQLite directly, not through Prisma: a
// connection of its own, for SELECTs only, with each statement prepared once. Through Prisma the same one-row
// read paid its client, its query compiler and a statement compiled anew each time (bench/page-profile.mjs).
// A second connection sees exactly what has been committed, as a request after a sign-out must; a transaction
// still open on Prisma's connection stays invisible until it commits, as it should.
import Database from "better-sqlite3";
import { databaseProvider, sqliteFilePath } from "./url";

export interface DirectReader {
  /** The rows `sql` selects, its `?` placeholders bound to `params`. Synchronous: a primary-key read takes microseconds. */
  select<Row>(sql: string, params: readonly unknown[]): Row[];
}

/**
 * A reader of the SQLite file `url` names, opened at its first read (and again after an open that failed: a file
 * out of reach throws, as Prisma's queries do); null for any other database, whose callers read through Prisma.
 */
export function createDirectReader(url: string): DirectReader | null {
  if (databaseProvider(url) !== "sqlite") return null;
  const path = sqliteFilePath(url);
  let connection: Database.Database | undefined;
  const statements = new Map<string, Database.Statement<unknown[], unknown>>();
  return {
    select<Row>(sql: string, params: readonly unknown[]): Row[] {
      if (!connection) {
        const opened = new Database(path, { fileMustExist: true, timeout: 5000 });
        // Reads only, whatever a caller passes: a write here would bypass Prisma's transactions.
        opened.pragma("query_only = ON");
        // Pages read through a memory map rather than a read() each: at a million sessions, a lookup's pages are
        // rarely in SQLite's own small cache (figure 3).
        opened.pragma("mmap_size = 268435456");
        connection = opened;
      }
      let statement = statements.get(sql);
      if (!statement) {
        statement = connection.prepare(sql);
        statements.set(sql, statement);
      }
      return statement.all(...params) as Row[];
    },
  };
}
