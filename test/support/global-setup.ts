// One fresh, migrated database per test run, removed afterwards: SQLite by default, PostgreSQL with
// TEST_DATABASE=postgresql (skipped loudly when it is out of reach, except in CI). And the identity providers
// sign-in with another account talks to (scripts/identity-providers.mjs), under the names scripts/e2e.mjs gives them.
import { startIdentityProviders } from "../../scripts/identity-providers.mjs";
import { createTestDatabase } from "../../scripts/test-database.mjs";

export default async function setup(): Promise<() => Promise<void>> {
  // First: they leave nothing behind should the database fail, and a database would be left should they.
  const identityProviders = await startIdentityProviders({ appUrl: process.env.APP_URL ?? "http://localhost:3000" });
  Object.assign(process.env, identityProviders.appEnv, identityProviders.testEnv);
  const database = await createTestDatabase(process.env.TEST_DATABASE === "postgresql" ? "postgresql" : "sqlite");
  if (!database) process.exit(0);
  process.env.DATABASE_URL = database.url;
  return async () => {
    await identityProviders.stop();
    await database.drop();
  };
}
