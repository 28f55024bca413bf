// Figure 10: many people at once. 1,000 people sign up (each with a session and a cookie of their own), then
// /account is loaded in interleaved rounds two ways: every request from one person (one cookie, which the
// middleware's cache of verified tokens answers after the first), and each request from the next of the 1,000
// people in turn (1,000 cookies, so that the cache holds many entries and the data access layer reads 1,000
// different session rows, as in life). Twice: on SQLite with one server, and on PostgreSQL with two servers (two
// `next start` of the same build on two ports, one database, one signing secret), the load spread over both as a
// load balancer would: one autocannon per server at once, half the connections each, every person's requests
// landing on either server. Figures: requests/s and p99 of many against one, answers other than 200 over the whole
// run (goal: none), and database writes per request: the session's lastSeenAt, written at most once a minute per
// session (lib/sessions/store.server.ts); renewing a cookie writes nothing (it is a new signature on the same
// session).
//
// PostgreSQL out of reach: one loud line, the PostgreSQL half is marked not run and the SQLite half still
// measured; with CI=true the figure fails instead, as the PostgreSQL tests do (scripts/test-database.mjs).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { newSecret } from "../../scripts/lib.mjs";
import { ADMIN_URL, createTestDatabase } from "../../scripts/test-database.mjs";
import { compare, interleave, resultRow } from "../harness.mjs";
import { signUp } from "../http-forms.mjs";
import { burst } from "../load.mjs";
import { cpuSplit, pinThisProcess, serverBuild, startServer } from "../server.mjs";

export const title = "Many people at once: 1,000 cookies, SQLite and two servers on PostgreSQL";

const SETTINGS = {
  full: { people: 1_000, rounds: 5, warmup: 1, load: { connections: 32, seconds: 5 } },
  smoke: { people: 10, rounds: 1, warmup: 0, load: { connections: 4, amount: 20 } },
};
const SIGN_UPS_AT_ONCE = 8;

// The lastSeenAt format Prisma's SQLite adapter writes (ISO 8601 with an offset), compared as text.
const sqliteDate = (date) => date.toISOString().replace("Z", "+00:00");
// PostgreSQL's columns are timestamp(3) without time zone, holding UTC: the UTC wall time as text.
const postgresDate = (date) => date.toISOString().replace("T", " ").replace("Z", "");

/**
 * Can the benchmark reach PostgreSQL? true; or false after one loud line (not in CI, where it throws).
 * Asked before anything is measured, so that CI fails at once rather than after the SQLite half.
 */
async function postgresReachable() {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.end();
    return true;
  } catch (error) {
    const line = `PostgreSQL at ${new URL(ADMIN_URL).host} is not reachable (${error.message})`;
    if (process.env.CI === "true") throw new Error(`${line}: CI requires it for figure 10.`);
    console.warn(`!!!!! FIGURE 10 ON POSTGRESQL NOT RUN: ${line}; start it, or set TEST_POSTGRES_URL. !!!!!`);
    return false;
  }
}

/** One burst per server at once, the connections and requests shared out; the figures combined. */
async function spreadBurst(urls, { connections, seconds, amount }, options) {
  const share = (total) => Math.max(1, Math.round(total / urls.length));
  const results = await Promise.all(
    urls.map((url) => burst({ url, connections: share(connections), seconds, amount: amount && share(amount), ...options })),
  );
  return {
    rps: results.reduce((sum, r) => sum + r.rps, 0),
    // p99 of the two servers' requests together lies between their own p99s: the worse one is the honest bound.
    p99Ms: Math.max(...results.map((r) => r.p99Ms)),
    ok: results.reduce((sum, r) => sum + r.ok, 0),
    other: results.reduce((sum, r) => sum + r.other, 0),
  };
}

/**
 * Signs `people` up through the servers in turn, then measures one cookie against `people` cookies on all of
 * them; `writesSince(date)` counts sessions whose lastSeenAt was written since. Returns the figure's rows.
 */
async function measure({ servers, setup, people, rounds, warmup, load, split, writesSince, note }) {
  const cookies = [];
  const signUpStart = Date.now();
  while (cookies.length < people) {
    const batch = Math.min(SIGN_UPS_AT_ONCE, people - cookies.length);
    const made = await Promise.all(Array.from({ length: batch }, (_, i) => signUp(servers[(cookies.length + i) % servers.length].baseURL)));
    cookies.push(...made.map((person) => person.cookie));
  }
  const n = people.toLocaleString("en-US");
  note(`${setup.label}: ${n} people signed up through the form in ${((Date.now() - signUpStart) / 1000).toFixed(0)} s`);
  if (split) pinThisProcess(split.load);
  try {
    const urls = servers.map((server) => new URL("/account", server.baseURL).href);
    let next = 0;
    const counts = { one: { requests: 0, other: 0, writes: 0 }, many: { requests: 0, other: 0, writes: 0 } };
    const side = (name, options) => async () => {
      const start = new Date();
      const result = await spreadBurst(urls, load, { expectStatus: 200, ...options });
      counts[name].requests += result.ok + result.other;
      counts[name].other += result.other;
      // Each session's lastSeenAt is written at most once a minute, so within a round a row written since the
      // round began was written once.
      counts[name].writes += await writesSince(start);
      return result;
    };
    const samples = await interleave(
      {
        one: side("one", { headers: { cookie: cookies[0] } }),
        many: side("many", {
          // One counter for every server: each person's requests land on either, as behind a load balancer.
          eachRequest: (request) => ({ ...request, headers: { ...request.headers, cookie: cookies[next++ % cookies.length] } }),
        }),
      },
      { rounds, warmup },
    );
    const figure = (key) => Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, list.map((r) => r[key])]));
    const settings = `${load.connections} connections${servers.length > 1 ? ` (${load.connections / servers.length} a server)` : ""}, ${load.amount ? `${load.amount} requests` : `${load.seconds} s`} a round`;
    note(`${setup.label}: ${rounds} rounds of ${settings} after ${warmup} of warm-up (the counts below include the warm-up)`);
    const sides = { one: { name: "one", label: "one person's cookie" }, many: { name: "many", label: `${n} people's cookies` } };
    const where = `(${setup.label})`;
    return [
      compare(figure("rps"), { figure: 10, label: `requests/s, /account: ${n} people at once vs one person ${where}`, a: sides.many, b: sides.one, unit: "req/s", interval: true }),
      compare(figure("p99Ms"), { figure: 10, label: `p99 latency, /account: ${n} people at once vs one person ${where}`, a: sides.many, b: sides.one, unit: "ms", interval: true }),
      // Over the whole run, warm-up included: a single error anywhere misses the goal.
      resultRow({
        figure: 10,
        label: `answers other than 200 with ${n} people at once ${where}`,
        a: { label: "not 200", value: counts.many.other, unit: "requests" },
        b: { label: "sent", value: counts.many.requests, unit: "requests" },
        ratio: counts.many.other / counts.many.requests,
        goal: { exactly: 0 },
      }),
      resultRow({
        figure: 10,
        label: `database writes per request (lastSeenAt; renewals write nothing) with ${n} people at once ${where}`,
        a: { label: "writes", value: counts.many.writes, unit: "rows" },
        b: { label: "requests", value: counts.many.requests, unit: "requests" },
        ratio: counts.many.writes / counts.many.requests,
      }),
    ];
  } finally {
    if (split) pinThisProcess(split.all);
  }
}

async function onSqlite({ build, split, ...options }) {
  const dir = mkdtempSync(join(tmpdir(), "tessera-bench-many-"));
  const file = join(dir, "many.db");
  const server = await startServer(build, { DATABASE_URL: `file:${file}`, SESSION_SECRET: newSecret() }, { cpus: split?.server });
  const database = new Database(file, { readonly: true });
  try {
    const statement = database.prepare(`SELECT count(*) FROM "sessions" WHERE "lastSeenAt" >= ?`).pluck();
    return await measure({
      ...options,
      servers: [server],
      split,
      setup: { label: "SQLite, one server" },
      writesSince: async (moment) => statement.get(sqliteDate(moment)),
    });
  } finally {
    database.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function onPostgres({ build, split, note, ...options }) {
  const created = await createTestDatabase("postgresql");
  if (!created) throw new Error("PostgreSQL went out of reach after answering");
  const settings = { DATABASE_URL: created.url, SESSION_SECRET: newSecret() }; // one secret: either server reads any cookie
  const servers = [];
  const client = new pg.Client({ connectionString: created.url });
  try {
    // One after the other: both run `prisma migrate deploy` first, which the second finds done.
    for (let i = 0; i < 2; i++) servers.push(await startServer(build, settings, { cpus: split?.server }));
    await client.connect();
    if (split) note(`PostgreSQL, two servers: both servers on CPU ${split.server}, autocannon on CPU ${split.load}, PostgreSQL's own processes on any`);
    return await measure({
      ...options,
      note,
      servers,
      split,
      setup: { label: "PostgreSQL, two servers" },
      writesSince: async (moment) =>
        Number((await client.query(`SELECT count(*) AS n FROM "sessions" WHERE "lastSeenAt" >= $1`, [postgresDate(moment)])).rows[0].n),
    });
  } finally {
    await client.end().catch(() => {});
    for (const server of servers) await server.stop();
    await created.drop();
  }
}

export async function run({ smoke, note, reuseBuild }) {
  const { people, rounds, warmup, load } = SETTINGS[smoke ? "smoke" : "full"];
  const withPostgres = await postgresReachable();
  if (!withPostgres) note(`PostgreSQL, two servers: **not run**: PostgreSQL at ${new URL(ADMIN_URL).host} is not reachable (set TEST_POSTGRES_URL)`);
  const build = await serverBuild({ smoke, reuseBuild });
  const split = smoke ? null : cpuSplit();
  if (split) note(`SQLite, one server: server on CPU ${split.server}, autocannon on CPU ${split.load} (taskset)`);
  const options = { build, split, note, people, rounds, warmup, load };
  const rows = await onSqlite(options);
  if (withPostgres) rows.push(...(await onPostgres(options)));
  return rows;
}
