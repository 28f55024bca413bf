// One fresh SQLite database per test run, migrated with the project's own migrations, removed afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error: a plain .mjs script without type declarations
import { prepareDatabase } from "../../scripts/prepare-db.mjs";

export default async function setup(): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), "tessera-test-"));
  process.env.DATABASE_URL = `file:${join(dir, "test.db")}`;
  await prepareDatabase({ ...process.env });
  return () => rmSync(dir, { recursive: true, force: true });
}
