// Brings the database named by DATABASE_URL (default: a SQLite file in data/) up to date: creates a SQLite file's
// folder, generates the Prisma clients if they are missing, and applies migrations (deploy: never a reset, never
// data loss). PostgreSQL databases must exist already.
import { existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { bin, root, run } from "./lib.mjs";

export async function prepareDatabase(env = process.env) {
  const url = env.DATABASE_URL?.trim() || "file:./data/tessera.db";
  if (url.startsWith("file:")) mkdirSync(dirname(resolve(root, url.slice(5).split("?")[0])), { recursive: true });
  for (const database of ["sqlite", "postgresql"]) {
    if (existsSync(`${root}lib/db/generated/${database}/client.ts`)) continue;
    await run(bin("prisma"), ["generate", "--schema", `prisma/${database}/schema.prisma`], { env, quiet: true });
  }
  await run(bin("prisma"), ["migrate", "deploy"], { env, quiet: true });
  console.log(`Database ready and migrated: ${url.replace(/\/\/[^@/]*@/, "//…@")}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await prepareDatabase();
