// One fresh, migrated database per test run, removed afterwards: SQLite by default, PostgreSQL with
// TEST_DATABASE=postgresql (skipped loudly when it is out of reach, except in CI).
import { createTestDatabase } from "../../scripts/test-database.mjs";

export default async function setup(): Promise<() => Promise<void>> {
  const database = await createTestDatabase(process.env.TEST_DATABASE === "postgresql" ? "postgresql" : "sqlite");
  if (!database) process.exit(0);
  process.env.DATABASE_URL = database.url;
  return database.drop;
}
