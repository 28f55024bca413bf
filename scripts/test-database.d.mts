// Types for scripts/test-database.mjs, for the tests written in TypeScript that make a database of their own.
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database; null when PostgreSQL is out of reach outside CI. */
export function createTestDatabase(provider: "sqlite" | "postgresql"): Promise<TestDatabase | null>;
