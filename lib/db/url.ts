// Where the database is. Shared by the app (lib/db/client.ts), the Prisma CLI (prisma.config.ts) and the
// scripts, so all three always agree. No imports: the Prisma CLI loads this file on its own.

export const DEFAULT_DATABASE_URL = "file:./data/tessera.db";

export class DatabaseUrlError extends Error {
  override name = "DatabaseUrlError";
}

export function databaseUrl(env: Record<string, string | undefined> = process.env): string {
  const url = env.DATABASE_URL?.trim();
  return url ? url : DEFAULT_DATABASE_URL;
}

/** The file path of a `file:` SQLite URL, relative paths resolved against the working directory. */
export function sqliteFilePath(url: string): string {
  if (!url.startsWith("file:")) {
    throw new DatabaseUrlError(
      `DATABASE_URL must be a SQLite file URL such as ${DEFAULT_DATABASE_URL} (got "${url.split(":")[0]}:…").`,
    );
  }
  const rest = url.slice("file:".length).split("?")[0];
  if (!rest) throw new DatabaseUrlError("DATABASE_URL names no file after file:.");
  return rest;
}
