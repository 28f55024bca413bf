import "server-only";
// better-sqlite3 gives Prisma's adapter one connection for the whole process. The adapter's lock keeps two
// transactions apart, but a query outside any transaction runs on that connection at once: inside whichever
// transaction is open, and undone with it if it rolls back (a sign-out during a refresh that fails, say). Here
// a query outside a transaction waits until the open one has committed or rolled back. Transactions are short
// (no hashing inside one), so the wait is too.
//
// Each transaction also takes the database's write lock as it begins. The adapter's BEGIN is deferred: a
// transaction that reads and then writes fails at once with SQLITE_BUSY (a 503) when another process, such as
// `npm run keys:rotate` or `user:promote`, committed in between. Locking first makes it wait its turn instead.
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

type Factory = PrismaBetterSQLite3;
type Adapter = Awaited<ReturnType<Factory["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/** At most one transaction open; plain queries pass only while none is. */
class TransactionGate {
  #open: Promise<void> | null = null;

  /**
   * The open transaction's end, or null. Wait with `while (gate.open) await gate.open`, then act with no await in
   * between: an awaited helper would return a tick later, when a transaction may have taken the gate.
   */
  get open(): Promise<void> | null {
    return this.#open;
  }

  async hold(): Promise<() => void> {
    // Checked and taken with no await between: two transactions that waited together must not both find the gate
    // free (`await this.idle()` would let the second in before the first took it, and the first's release would
    // then open the gate to plain queries while the second was open).
    while (this.#open) await this.#open;
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.#open = mine;
    return () => {
      if (this.#open !== mine) return;
      this.#open = null;
      release();
    };
  }
}

type RawQuery = Parameters<Transaction["executeRaw"]>[0];

/** What Prisma sends to end a transaction, exactly: not a savepoint's ROLLBACK TO, nor anything else. */
const ENDS_TRANSACTION = /^(COMMIT|ROLLBACK)$/;

function gatedTransaction(transaction: Transaction, release: () => void): Transaction {
  // Once only: the adapter's commit() and rollback() each unlock its mutex, and a second unlock would let two
  // transactions in at once.
  let ended = false;
  const end = async (close: () => Promise<void>) => {
    if (ended) return;
    ended = true;
    try {
      await close();
    } finally {
      release();
    }
  };
  return new Proxy(transaction, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property === "commit") return () => end(() => target.commit());
      if (property === "rollback") return () => end(() => target.rollback());
      if (property === "executeRaw") {
        return async (query: RawQuery) => {
          try {
            return await target.executeRaw(query);
          } catch (error) {
            // Prisma ends a transaction with a COMMIT (or ROLLBACK) statement, then commit(). When the statement
            // fails (a deferred constraint, a full disk), Prisma never calls commit(), and SQLite may still be
            // inside the transaction: undone here, or the connection and every later query would wait forever.
            if (ENDS_TRANSACTION.test(query.sql)) {
              await target.executeRaw(ROLLBACK).catch(() => undefined);
              await end(() => target.rollback());
            }
            throw error;
          }
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A write that changes nothing but holds the write lock from here to commit (the migrations table always exists). */
const TAKE_WRITE_LOCK = { sql: 'DELETE FROM "_prisma_migrations" WHERE 0', args: [], argTypes: [] };
const ROLLBACK = { sql: "ROLLBACK", args: [], argTypes: [] };

function gatedAdapter(adapter: Adapter): Adapter {
  const gate = new TransactionGate();
  return new Proxy(adapter, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property === "queryRaw" || property === "executeRaw" || property === "executeScript") {
        return async (input: never) => {
          while (gate.open) await gate.open;
          return (value as (input: never) => Promise<unknown>).call(target, input);
        };
      }
      if (property === "startTransaction") {
        return async (...args: Parameters<Adapter["startTransaction"]>) => {
          const release = await gate.hold();
          try {
            const transaction = await target.startTransaction(...args);
            try {
              await transaction.executeRaw(TAKE_WRITE_LOCK);
            } catch (error) {
              // The adapter's rollback() only unlocks its mutex: the BEGIN must be undone here, or the connection
              // stays inside it, every later BEGIN fails, and its writes hold the file's lock, never committed.
              await transaction.executeRaw(ROLLBACK).catch(() => undefined);
              await transaction.rollback();
              throw error;
            }
            return gatedTransaction(transaction, release);
          } catch (error) {
            release();
            throw error;
          }
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The factory with its connections gated: queries outside a transaction never run inside one. */
export function isolatingTransactions(factory: Factory): Factory {
  return new Proxy(factory, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property === "connect") return async () => gatedAdapter(await target.connect());
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
