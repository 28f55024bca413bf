// Figure 10: many people at once. 1,000 people sign up (each with a session and a cookie of their own), then
// /account is loaded in interleaved rounds two ways: every request from one person (one cookie, which the
// middleware's cache of verified tokens answers after the first), and each request from the next of the 1,000
// people in turn (1,000 cookies, so that the cache holds many entries and the data access layer reads 1,000
// different session rows, as in life). SQLite, one server. Figures: requests/s and p99 of many against one,
// answers other than 200 (goal: none), and database writes per request: the session's lastSeenAt, written at most
// once a minute per session (lib/sessions/store.server.ts); renewing a cookie writes nothing (it is a new
// signature on the same session).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { newSecret } from "../../scripts/lib.mjs";
import { compare, interleave, resultRow } from "../harness.mjs";
import { signUp } from "../http-forms.mjs";
import { burst } from "../load.mjs";
import { cpuSplit, pinThisProcess, serverBuild, startServer } from "../server.mjs";

export const title = "Many people at once: 1,000 cookies";

const SETTINGS = {
  full: { people: 1_000, rounds: 5, warmup: 1, load: { connections: 32, seconds: 5 } },
  smoke: { people: 10, rounds: 1, warmup: 0, load: { connections: 4, amount: 20 } },
};
const SIGN_UPS_AT_ONCE = 8;

// The lastSeenAt format Prisma's SQLite adapter writes (ISO 8601 with an offset), compared as text.
const sqliteDate = (date) => date.toISOString().replace("Z", "+00:00");

export async function run({ smoke, note, reuseBuild }) {
  const { people, rounds, warmup, load } = SETTINGS[smoke ? "smoke" : "full"];
  const build = await serverBuild({ smoke, reuseBuild });
  const split = smoke ? null : cpuSplit();
  if (split) note(`server on CPU ${split.server}, autocannon on CPU ${split.load} (taskset)`);
  const dir = mkdtempSync(join(tmpdir(), "tessera-bench-many-"));
  const file = join(dir, "many.db");
  const server = await startServer(build, { DATABASE_URL: `file:${file}`, SESSION_SECRET: newSecret() }, { cpus: split?.server });
  const database = new Database(file, { readonly: true });
  try {
    const cookies = [];
    const signUpStart = Date.now();
    while (cookies.length < people) {
      const batch = Math.min(SIGN_UPS_AT_ONCE, people - cookies.length);
      const made = await Promise.all(Array.from({ length: batch }, () => signUp(server.baseURL)));
      cookies.push(...made.map((person) => person.cookie));
    }
    note(`${people.toLocaleString("en-US")} people signed up through the form in ${((Date.now() - signUpStart) / 1000).toFixed(0)} s`);
    if (split) pinThisProcess(split.load);

    const url = new URL("/account", server.baseURL).href;
    let next = 0;
    const writesSince = (moment) =>
      database.prepare(`SELECT count(*) FROM "sessions" WHERE "lastSeenAt" >= ?`).pluck().get(sqliteDate(moment));
    const counts = { one: { requests: 0, other: 0, writes: 0 }, many: { requests: 0, other: 0, writes: 0 } };
    const side = (name, options) => async () => {
      const start = new Date();
      const result = await burst({ url, ...load, expectStatus: 200, ...options });
      counts[name].requests += result.ok + result.other;
      counts[name].other += result.other;
      // Each session's lastSeenAt is written at most once a minute, so within a round a row written since the
      // round began was written once.
      counts[name].writes += writesSince(start);
      return result;
    };
    const samples = await interleave(
      {
        one: side("one", { headers: { cookie: cookies[0] } }),
        many: side("many", {
          eachRequest: (request) => ({ ...request, headers: { ...request.headers, cookie: cookies[next++ % cookies.length] } }),
        }),
      },
      { rounds, warmup },
    );
    const figure = (key) => Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, list.map((r) => r[key])]));
    const settings = `${load.connections} connections, ${load.amount ? `${load.amount} requests` : `${load.seconds} s`} a round`;
    note(`${rounds} rounds of ${settings} after ${warmup} of warm-up (the counts below include the warm-up)`);
    const n = people.toLocaleString("en-US");
    const sides = { one: { name: "one", label: "one person's cookie" }, many: { name: "many", label: `${n} people's cookies` } };
    return [
      compare(figure("rps"), { figure: 10, label: `requests/s, /account: ${n} people at once vs one person`, a: sides.many, b: sides.one, unit: "req/s", interval: true }),
      compare(figure("p99Ms"), { figure: 10, label: `p99 latency, /account: ${n} people at once vs one person`, a: sides.many, b: sides.one, unit: "ms", interval: true }),
      resultRow({
        figure: 10,
        label: `answers other than 200 with ${n} people at once`,
        a: { label: "not 200", value: counts.many.other, unit: "requests" },
        b: { label: "sent", value: counts.many.requests, unit: "requests" },
        ratio: counts.many.other / counts.many.requests,
        goal: { exactly: 0 },
      }),
      resultRow({
        figure: 10,
        label: `database writes per request (lastSeenAt) with ${n} people at once`,
        a: { label: "writes", value: counts.many.writes, unit: "rows" },
        b: { label: "requests", value: counts.many.requests, unit: "requests" },
        ratio: counts.many.writes / counts.many.requests,
      }),
    ];
  } finally {
    if (split) pinThisProcess(split.all);
    database.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
