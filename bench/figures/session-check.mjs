// Figure 3: the data access layer's session check as the table grows. findLiveSession (lib/sessions/store.server.ts,
// the denylist and session lookup every authenticated request pays) against a sessions table of 1,000 rows and
// one of 1,000,000, on SQLite and on PostgreSQL: four fresh, migrated databases, measured in alternating rounds.
// Then the purge (purgeEndedSessions) on each, and the rows left: it must keep exactly the rows a token can still
// use (live sessions, and sessions ended less than the idle timeout ago, whose last tokens have not expired).
//
// Rows are made in bulk inside the database (a recursive CTE on SQLite, generate_series on PostgreSQL), in the
// formats Prisma itself writes, with ids as long as the app's; 1,000 users own them all in both sizes, so the
// session table's size is the only thing that differs. Of every 20 sessions, 17 are live, 1 ended an hour ago
// (kept by the purge), 1 ended two days ago and 1 is past its absolute expiry (both purged). Each lookup asks
// for a live session drawn uniformly at random from every live row of the table (all of their ids are read
// first), so that the large table is looked up all over, as a million people's sessions would be, not through a
// few thousand rows that stay in cache (issue #13).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import pg from "pg";
import { newSecret, root } from "../../scripts/lib.mjs";
import { ADMIN_URL, dropPostgresDatabase } from "../../scripts/test-database.mjs";
import { compare, interleave, perCall, resultRow } from "../harness.mjs";
import { loadDataLayer } from "../project.mjs";

export const title = "Session check cost as the tables grow";

const USERS = 1_000;
const SETTINGS = {
  full: { small: 1_000, large: 1_000_000, rounds: 7, warmup: 1, roundMs: 300 },
  smoke: { small: 20, large: 200, rounds: 1, warmup: 1, roundMs: 5 },
};

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The moments the rows are made around: "now" for the whole figure, so that no row changes state mid-run. */
function moments(now) {
  return {
    now,
    future: new Date(now.getTime() + 30 * DAY_MS), // a live session's absolute expiry
    past: new Date(now.getTime() - HOUR_MS), // an expired session's
    recent: new Date(now.getTime() - HOUR_MS), // ended an hour ago: its tokens may still verify
    longAgo: new Date(now.getTime() - 2 * DAY_MS), // ended two days ago: no token of it can
  };
}

/** How the rows i = 1..count split (by i % 20, as the inserts make them). */
function mix(count) {
  const split = { live: 0, recentlyEnded: 0, purgeable: 0 };
  for (let i = 1; i <= count; i++) {
    const k = i % 20;
    split[k === 0 || k === 1 ? "purgeable" : k === 2 ? "recentlyEnded" : "live"]++;
  }
  return split;
}

/** Every migration of one database, in order, as SQL: what `prisma migrate deploy` applies, without its CLI's seconds. */
function migrationSql(provider) {
  const folder = join(root, "prisma", provider, "migrations");
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => readFileSync(join(folder, name, "migration.sql"), "utf8"));
}

/** A fresh database with the app's schema: { url, file?, drop() }, or null when PostgreSQL is out of reach. */
async function freshDatabase(provider) {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "tessera-bench-db-"));
    const file = join(dir, "bench.db");
    const sqlite = new Database(file);
    try {
      for (const sql of migrationSql("sqlite")) sqlite.exec(sql);
    } finally {
      sqlite.close();
    }
    return { url: `file:${file}`, file, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const name = `tessera_bench_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const sql of migrationSql("postgresql")) await client.query(sql);
  } finally {
    await client.end();
  }
  return {
    url,
    drop: () => dropPostgresDatabase(name),
  };
}

// What Prisma's SQLite adapter writes for a DateTime (ISO 8601 with an offset): the purge compares these as text.
const sqliteDate = (date) => date.toISOString().replace("Z", "+00:00");
// PostgreSQL's columns are timestamp(3) without time zone, holding UTC: pass the UTC wall time as text.
const postgresDate = (date) => date.toISOString().replace("T", " ").replace("Z", "");

function seedSqlite(file, sessions, at) {
  const sqlite = new Database(file);
  try {
    sqlite.pragma("cache_size = -262144"); // 256 MiB for the bulk insert only; the app's connection is separate
    const d = Object.fromEntries(Object.entries(at).map(([key, value]) => [key, sqliteDate(value)]));
    sqlite.transaction(() => {
      sqlite
        .prepare(
          `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @users)
           INSERT INTO "users" ("id", "email", "passwordHash", "role", "createdAt", "updatedAt")
           SELECT 'bench-user-' || i, 'bench-' || i || '@example.com', 'not a hash', 'user', @now, @now FROM n`,
        )
        .run({ users: BigInt(USERS), now: d.now }); // a JS number would bind as a REAL: 'bench-user-1.0'

      sqlite
        .prepare(
          `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @sessions)
           INSERT INTO "sessions" ("id", "userId", "createdAt", "lastSeenAt", "expiresAt", "revokedAt", "kind")
           SELECT lower(hex(randomblob(11))), 'bench-user-' || (1 + i % @users), @now, @now,
                  CASE WHEN i % 20 = 0 THEN @past ELSE @future END,
                  CASE i % 20 WHEN 1 THEN @longAgo WHEN 2 THEN @recent ELSE NULL END,
                  'browser'
           FROM n`,
        )
        .run({ sessions: BigInt(sessions), users: BigInt(USERS), ...d });
    })();
    sqlite.exec("ANALYZE");
  } finally {
    sqlite.close();
  }
}

async function seedPostgres(url, sessions, at) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const d = Object.fromEntries(Object.entries(at).map(([key, value]) => [key, postgresDate(value)]));
    await client.query("SET synchronous_commit = off"); // this connection's bulk insert only
    await client.query(
      `INSERT INTO "users" ("id", "email", "passwordHash", "role", "createdAt", "updatedAt")
       SELECT 'bench-user-' || i, 'bench-' || i || '@example.com', 'not a hash', 'user', $2::timestamp, $2::timestamp
       FROM generate_series(1, $1::int) i`,
      [USERS, d.now],
    );
    await client.query(
      `INSERT INTO "sessions" ("id", "userId", "createdAt", "lastSeenAt", "expiresAt", "revokedAt", "kind")
       SELECT substr(md5(random()::text || i::text), 1, 22), 'bench-user-' || (1 + i % $2::int),
              $3::timestamp, $3::timestamp,
              CASE WHEN i % 20 = 0 THEN $4::timestamp ELSE $5::timestamp END,
              CASE i % 20 WHEN 1 THEN $6::timestamp WHEN 2 THEN $7::timestamp ELSE NULL END,
              'browser'
       FROM generate_series(1, $1::int) i`,
      [sessions, USERS, d.now, d.past, d.future, d.longAgo, d.recent],
    );
    await client.query("VACUUM ANALYZE");
  } finally {
    await client.end();
  }
}

/** The ids of every live session in the table, for the lookups to draw from. */
async function liveIds(database, now) {
  if (database.provider === "sqlite") {
    const sqlite = new Database(database.file, { readonly: true });
    try {
      return sqlite
        .prepare(`SELECT "id" FROM "sessions" WHERE "revokedAt" IS NULL AND "expiresAt" > ?`)
        .pluck()
        .all(sqliteDate(now));
    } finally {
      sqlite.close();
    }
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT "id" FROM "sessions" WHERE "revokedAt" IS NULL AND "expiresAt" > $1::timestamp`,
      [postgresDate(now)],
    );
    return rows.map((row) => row.id);
  } finally {
    await client.end();
  }
}

const sessionRows = async (client) => client.session.count();

export async function run({ smoke, note }) {
  const { small, large, rounds, warmup, roundMs } = SETTINGS[smoke ? "smoke" : "full"];
  // The purge reads the session timeouts from the environment (the defaults), and the configuration insists on
  // a signing secret it does not use here.
  process.env.SESSION_SECRET ??= newSecret();
  const layer = await loadDataLayer();
  const at = moments(new Date());
  const databases = [];
  const rows = [];
  try {
    for (const provider of ["sqlite", "postgresql"]) {
      for (const [size, count] of [
        ["small", small],
        ["large", large],
      ]) {
        const created = await freshDatabase(provider);
        if (!created) {
          note(`PostgreSQL at ${new URL(ADMIN_URL).host} is out of reach (set TEST_POSTGRES_URL): its rows are missing`);
          break;
        }
        const database = { provider, size, count, ...created };
        databases.push(database);
        const seedStart = performance.now();
        if (provider === "sqlite") seedSqlite(database.file, count, at);
        else await seedPostgres(database.url, count, at);
        database.seedSeconds = (performance.now() - seedStart) / 1000;
        database.client = layer.createDatabaseClient(database.url);
        // The app reads live sessions on SQLite through its own connection (lib/db/direct-reads.server.ts).
        database.reader = layer.createDirectReader(database.url);
        database.ids = await liveIds(database, at.now);
      }
    }

    // Each round's ids are drawn before its clock starts: uniformly, with replacement, from every live row.
    const draw = (ids) => async (count) => Array.from({ length: count }, () => ids[Math.floor(Math.random() * ids.length)]);
    const side = (database) =>
      perCall(
        async (i, ids) => {
          layer.useDatabase(database.client, database.reader);
          const session = await layer.findLiveSession(ids[i], at.now);
          if (session === null) throw new Error(`a live session was not found (${database.provider})`);
        },
        { roundMs, prepare: draw(database.ids) },
      );
    const name = (database) => `${database.provider}-${database.size}`;
    const samples = await interleave(Object.fromEntries(databases.map((database) => [name(database), side(database)])), {
      rounds,
      warmup,
    });

    const label = { sqlite: "SQLite", postgresql: "PostgreSQL" };
    const n = (count) => count.toLocaleString("en-US");
    for (const provider of ["sqlite", "postgresql"]) {
      const [smallDb, largeDb] = ["small", "large"].map((size) => databases.find((d) => d.provider === provider && d.size === size));
      if (!smallDb || !largeDb) continue;
      rows.push(
        compare(samples, {
          figure: 3,
          label: `${label[provider]}: findLiveSession, ${n(large)} vs ${n(small)} session rows`,
          a: { name: name(largeDb), label: `${n(large)} rows` },
          b: { name: name(smallDb), label: `${n(small)} rows` },
          unit: "µs",
          goal: { atMost: 1.2 },
          interval: true,
        }),
      );
    }
    const sqliteLarge = databases.find((d) => d.provider === "sqlite" && d.size === "large");
    const postgresLarge = databases.find((d) => d.provider === "postgresql" && d.size === "large");
    if (sqliteLarge && postgresLarge) {
      rows.push(
        compare(samples, {
          figure: 3,
          label: `findLiveSession at ${n(large)} rows: PostgreSQL vs SQLite`,
          a: { name: name(postgresLarge), label: "PostgreSQL" },
          b: { name: name(sqliteLarge), label: "SQLite" },
          unit: "µs",
        }),
      );
    }

    // The purge, last: it deletes the rows the lookups drew from.
    for (const database of databases.filter((d) => d.size === "large")) {
      layer.useDatabase(database.client, database.reader);
      const before = await sessionRows(database.client);
      const start = performance.now();
      const purged = await layer.purgeEndedSessions(at.now);
      const seconds = (performance.now() - start) / 1000;
      const after = await sessionRows(database.client);
      const { live, recentlyEnded } = mix(database.count);
      const usable = live + recentlyEnded;
      rows.push(
        resultRow({
          figure: 3,
          label: `${label[database.provider]}: session rows after a purge vs rows a token can still use`,
          a: { label: "after purge", value: after, unit: "rows" },
          b: { label: "live or ended < 1 day", value: usable, unit: "rows" },
          ratio: after / usable,
          goal: { exactly: 1 },
        }),
      );
      note(
        `${label[database.provider]}: ${n(before)} rows (made in ${database.seedSeconds.toFixed(1)} s); the purge deleted ` +
          `${n(purged)} in ${seconds.toFixed(2)} s, leaving ${n(after)} (expected: ${n(live)} live and ${n(recentlyEnded)} ` +
          `ended within the idle timeout, kept until their last tokens expire)`,
      );
    }
    return rows;
  } finally {
    for (const database of databases) {
      await database.client?.$disconnect().catch(() => {});
      await database.drop().catch(() => {});
    }
  }
}
