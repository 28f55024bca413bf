import "server-only";
// The app's one database client. Kept on globalThis in development so that hot reloads do not open a new
// connection each time.
import { createDatabaseClient, type Database } from "./client.server";
import { createDirectReader, type DirectReader } from "./direct-reads.server";
import { databaseUrl } from "./url";
import { TesseraError } from "../errors";
// Both generated clients share Prisma's runtime, and with it the error classes.
import { Prisma } from "./generated/sqlite/client";

/** For SQL written by hand: `Prisma.sql` and `Prisma.join` build fragments whose values stay bound parameters. */
export { Prisma };

const globalForDb = globalThis as unknown as { tesseraDb?: Database; tesseraDirectReader?: DirectReader | null };

export const db: Database = globalForDb.tesseraDb ?? createDatabaseClient(databaseUrl());

/** On SQLite, a SELECT-only connection beside Prisma's for the reads every request makes; null on PostgreSQL. */
export const directReader: DirectReader | null =
  globalForDb.tesseraDirectReader === undefined ? createDirectReader(databaseUrl()) : globalForDb.tesseraDirectReader;

if (process.env.NODE_ENV !== "production") {
  globalForDb.tesseraDb = db;
  globalForDb.tesseraDirectReader = directReader;
}

/** The database could not be reached or failed to answer: nothing was read or written. */
export class DatabaseUnavailableError extends TesseraError<"database-unavailable"> {
  static readonly code = "database-unavailable";
  override name = "DatabaseUnavailableError";
  constructor(options?: { cause?: unknown }) {
    super(DatabaseUnavailableError.code, "The database is unavailable.", options);
  }
}

const DATABASE_ERRORS = new Set([
  "DatabaseUnavailableError",
  "PrismaClientKnownRequestError",
  "PrismaClientUnknownRequestError",
  "PrismaClientInitializationError",
  "PrismaClientRustPanicError",
  "DriverAdapterError",
]);

/**
 * pg-pool's plain Error when no connection came free (or none could be opened) within DATABASE_CONNECT_TIMEOUT_MS:
 * the database is overloaded or out of reach, not our code broken. Its wording has not changed in pg-pool's life.
 */
const POOL_TIMEOUT_MESSAGE = "timeout exceeded when trying to connect";

/** Whether an error, or one it was caused by, came from the database rather than from our own code. */
export function isDatabaseError(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (DATABASE_ERRORS.has(cause.name) || cause.message === POOL_TIMEOUT_MESSAGE) return true;
  }
  return false;
}

/** A write refused by a unique index (Prisma's P2002): two sign-ups with one email, say. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** The codes each database gives a foreign key violation, as the driver adapter passes them on. */
const FOREIGN_KEY_VIOLATIONS = new Set(["23503", "SQLITE_CONSTRAINT_FOREIGNKEY"]);

/**
 * A write refused because a row it refers to is gone (a foreign key), through Prisma's query API or raw SQL. By the
 * database's own code: the SQLite adapter gives a trigger's RAISE the same kind as a foreign key.
 */
export function isForeignKeyViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const adapterError = error.meta?.driverAdapterError as { cause?: { originalCode?: unknown } } | undefined;
  return FOREIGN_KEY_VIOLATIONS.has(String(adapterError?.cause?.originalCode));
}

/** True when the database answers a trivial query. */
export async function databaseIsReachable(): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}

/**
 * In a transaction that checks or counts something of a user's before it writes: locks their row until commit, so
 * that two such transactions take turns and each sees what the other wrote (PostgreSQL's row lock; SQLite's
 * transactions take turns anyway). With `passwordHash`, only while that is still their password. Whether it held.
 *
 * Every transaction that writes an account's rows takes the user's row first: with one order, two of them never
 * each hold a row the other waits for (a deadlock, which PostgreSQL ends by failing one). Decision 5 lists them.
 */
export async function holdUserRow(queries: Pick<Database, "$executeRaw">, userId: string, passwordHash?: string): Promise<boolean> {
  const held =
    passwordHash === undefined
      ? await queries.$executeRaw`UPDATE "users" SET "updatedAt" = "updatedAt" WHERE "id" = ${userId}`
      : await queries.$executeRaw`UPDATE "users" SET "updatedAt" = "updatedAt" WHERE "id" = ${userId} AND "passwordHash" = ${passwordHash}`;
  return held === 1;
}
