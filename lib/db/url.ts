// Where the database is, and which one it is. Shared by the app (lib/db/client.server.ts), the Prisma CLI
// (prisma.config.ts) and the scripts, so all three always agree. No imports: the Prisma CLI loads this file.

export const DEFAULT_DATABASE_URL = "file:./data/tessera.db";

export type DatabaseProvider = "sqlite" | "postgresql";

export class DatabaseUrlError extends Error {
  override name = "DatabaseUrlError";
}

export function databaseUrl(env: Record<string, string | undefined> = process.env): string {
  const url = env.DATABASE_URL?.trim();
  return url ? url : DEFAULT_DATABASE_URL;
}

/** `file:` is SQLite (the embedded default); `postgres://` or `postgresql://` is PostgreSQL. */
export function databaseProvider(url: string): DatabaseProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new DatabaseUrlError(
    `DATABASE_URL must be a SQLite file URL such as ${DEFAULT_DATABASE_URL}, or postgresql://… (got "${url.split(":")[0]}:…").`,
  );
}

/** The file path of a `file:` SQLite URL, relative paths resolved against the working directory. */
export function sqliteFilePath(url: string): string {
  const rest = url.slice("file:".length).split("?")[0];
  if (!url.startsWith("file:") || !rest) throw new DatabaseUrlError("DATABASE_URL names no SQLite file after file:.");
  return rest;
}
