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

/** A transaction held inside the database by pauseStatements, and how to let it go on. */
export interface PausedStatements {
  /**
   * Resolves once a transaction is held at its matching statement: right after it, its locks and rows in place, or
   * with `timing: "BEFORE"` just before its row is written.
   */
  held(): Promise<void>;
  /**
   * Lets every held transaction go on, keeping the pause in place until release(): removing it waits for every
   * transaction that wrote to the table, including any another pause still holds.
   */
  resume(): Promise<void>;
  /** Lets every held transaction go on, and removes the pause. */
  release(): Promise<void>;
}

/**
 * PostgreSQL only: holds each transaction that inserts or updates a row matching `condition` (SQL over NEW) right
 * after that statement, uncommitted, until release(): a race between two transactions, made to happen every time.
 * With `timing: "BEFORE"` it is held just before the row is written instead, with no lock of the row's taken yet.
 * The trigger waits on an advisory lock that a transaction of the test's own holds meanwhile.
 */
export async function pauseStatements(
  table: string,
  event: "INSERT" | "UPDATE" | "INSERT OR UPDATE",
  condition: string,
  { timing = "AFTER" }: { timing?: "BEFORE" | "AFTER" } = {},
): Promise<PausedStatements> {
  if (databaseProvider(databaseUrl()) !== "postgresql") throw new Error("pauseStatements needs PostgreSQL");
  const name = `tessera_test_pause_${process.pid}_${triggers++}`;
  const lockKey = newLockKey();
  const holder = await holdAdvisoryLock(`${lockKey}`);
  await db.$executeRawUnsafe(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF ${condition} THEN PERFORM pg_advisory_xact_lock(${lockKey}); END IF; RETURN NEW; END $$`);
  await db.$executeRawUnsafe(`CREATE TRIGGER ${name} ${timing} ${event} ON "${table}" FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  return {
    held: () => waitForLockWait(`wait_event = 'advisory' AND query ILIKE '%${table}%'`),
    resume: () => holder.release(),
    async release() {
      // The lock first: dropping the trigger waits for every transaction that wrote to the table, the held ones too.
      await holder.release();
      await dropTrigger(name, table);
    },
  };
}

/** Connections held by pauseConnections, and how to let them go on. */
export interface PausedConnections {
  /** From now on, holds the transaction of the connection with this backend pid after its next write to the table. */
  hold(pid: number): Promise<void>;
  /** Resolves once that connection is held, with whatever its statement left locked still in place. */
  held(pid: number, timeoutMs?: number): Promise<void>;
  /** Lets every held connection go on, and removes the pause; again, does nothing. */
  release(): Promise<void>;
}

/**
 * PostgreSQL only: holds chosen connections (by backend pid) right after each insert into or update of `table`,
 * however many rows the statement changed, none included: to see what a transaction keeps after a statement that
 * changed nothing. Install it before the race begins: creating the trigger waits for the table's writers.
 */
export async function pauseConnections(table: string): Promise<PausedConnections> {
  if (databaseProvider(databaseUrl()) !== "postgresql") throw new Error("pauseConnections needs PostgreSQL");
  const name = `tessera_test_pause_${process.pid}_${triggers++}`;
  const lockKey = newLockKey();
  // Every writer of the table takes its own pid's lock under the key: at once, unless hold() holds that one.
  await db.$executeRawUnsafe(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_advisory_xact_lock(${lockKey}, pg_backend_pid()); RETURN NULL; END $$`);
  await db.$executeRawUnsafe(
    `CREATE TRIGGER ${name} AFTER INSERT OR UPDATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION ${name}()`,
  );
  const holders: AdvisoryLock[] = [];
  let removed = false;
  return {
    async hold(pid) {
      holders.push(await holdAdvisoryLock(`${lockKey}, ${pid}`));
    },
    held: (pid, timeoutMs) => waitForLockWait(`wait_event = 'advisory' AND pid = ${pid}`, timeoutMs),
    async release() {
      if (removed) return;
      removed = true;
      await Promise.all(holders.map((holder) => holder.release()));
      await dropTrigger(name, table);
    },
  };
}

const newLockKey = () => Math.floor(Math.random() * 2 ** 31);

interface AdvisoryLock {
  release(): Promise<void>;
}

/** Takes a transaction-level advisory lock (`key`: its SQL arguments) in a transaction of its own, kept open until release(). */
async function holdAdvisoryLock(key: string): Promise<AdvisoryLock> {
  let letGo!: () => void;
  const released = new Promise<void>((resolve) => (letGo = resolve));
  let locked!: () => void;
  const lockHeld = new Promise<void>((resolve) => (locked = resolve));
  const holder = db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${key})`);
      locked();
      await released;
    },
    { timeout: 120_000 },
  );
  await Promise.race([lockHeld, holder]);
  return {
    async release() {
      letGo();
      await holder;
    },
  };
}

async function dropTrigger(name: string, table: string): Promise<void> {
  await db.$executeRawUnsafe(`DROP TRIGGER ${name} ON "${table}"`);
  await db.$executeRawUnsafe(`DROP FUNCTION ${name}()`);
}

/**
 * PostgreSQL only: two transactions made to overlap the same way every run. `first` runs until `pause` holds it
 * inside the database; then `second` starts, and once it waits for a lock (on a row `first` holds), `first` goes
 * on. Resolves to how each ended, as Promise.allSettled says it.
 */
export async function overlapping<A, B>(
  pause: PausedStatements,
  first: () => Promise<A>,
  second: () => Promise<B>,
): Promise<[PromiseSettledResult<A>, PromiseSettledResult<B>]> {
  const firstEnded = first();
  let secondEnded: Promise<B>;
  try {
    await pause.held();
    secondEnded = second();
    await waitForLockWait(`wait_event <> 'advisory'`);
  } finally {
    await pause.release();
  }
  return Promise.allSettled([firstEnded, secondEnded]);
}

/**
 * PostgreSQL only: resolves once a statement of this database waits for a lock and matches `where` (SQL over
 * pg_stat_activity): the outcome a race test waits for, instead of a guess at how long it takes.
 */
export async function waitForLockWait(where: string, timeoutMs = 30_000): Promise<void> {
  await waitingBackend(where, timeoutMs);
}

/**
 * PostgreSQL only: the pid of a backend of this database that waits for a lock and matches `where` (SQL over
 * pg_stat_activity; `${pid} = ANY(pg_blocking_pids(pid))` finds the one waiting for a given backend), once there is one.
 */
export async function waitingBackend(where: string, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await db.$queryRawUnsafe<{ pid: number }[]>(
      `SELECT pid FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock' AND (${where}) LIMIT 1`,
    );
    if (rows[0]) return rows[0].pid;
    if (Date.now() > deadline) throw new Error(`no statement waited for a lock where ${where}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
