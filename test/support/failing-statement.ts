// Makes one kind of statement fail inside the real database, for tests that cut a multi-step write halfway:
// a trigger that raises an error when a row matching `condition` (SQL over NEW) is inserted or updated. Scoped
// by the condition, so that test files running beside it on the same database are untouched.
import { db } from "@/lib/db/db.server";
import { databaseProvider, databaseUrl } from "@/lib/db/url";

let triggers = 0;

/** Installs the failure and returns a function that removes it. */
export async function failStatements(
  table: string,
  event: "INSERT" | "UPDATE",
  condition: string,
): Promise<() => Promise<void>> {
  const name = `tessera_test_failure_${process.pid}_${triggers++}`;
  if (databaseProvider(databaseUrl()) === "postgresql") {
    await db.$executeRawUnsafe(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF ${condition} THEN RAISE EXCEPTION 'statement failed on purpose'; END IF; RETURN NEW; END $$`);
    await db.$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE ${event} ON "${table}" FOR EACH ROW EXECUTE FUNCTION ${name}()`);
    return async () => {
      await db.$executeRawUnsafe(`DROP TRIGGER ${name} ON "${table}"`);
      await db.$executeRawUnsafe(`DROP FUNCTION ${name}()`);
    };
  }
  await db.$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE ${event} ON "${table}" WHEN ${condition}
    BEGIN SELECT RAISE(ABORT, 'statement failed on purpose'); END`);
  return async () => void (await db.$executeRawUnsafe(`DROP TRIGGER ${name}`));
}
