// Makes the Prisma client for a database URL. The only module that knows about driver adapters; the app's
// shared instance is in lib/db.server.ts.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/client";
import { sqliteFilePath } from "./url";

export type Database = PrismaClient;

export function createDatabaseClient(url: string): Database {
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: sqliteFilePath(url) }) });
}
