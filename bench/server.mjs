// The production server for the end-to-end figures (2, 4 and 6): `next start` on a free loopback port with its own
// fresh SQLite database and signing secret, and the probe (server-probe.mjs) preloaded.
//
// Which build it serves. The bench builds into .next-bench (NEXT_DIST_DIR, which next.config.mjs reads), never
// into .next: the e2e suite builds and serves .next, and a build started while another uses it spoils both. Only
// this build has the benchmark's own pages (BENCH_BUILD=1: app/bench/public/page.bench.tsx, figure 2's twin); the
// product's build in .next has none.
// - Full mode builds .next-bench afresh once per run (about a minute on 2 cores), so that the figures measure the
//   code in the working tree, never a stale build; `--reuse-build` (or BENCH_REUSE_BUILD=1) serves an existing
//   .next-bench instead, for iterating on the bench itself.
// - Smoke mode (inside `npm test`) serves .next-bench, building it first only when there is none or when the
//   app's sources changed after it was built, so that a second `npm test` does not pay for the build again.
import { execFileSync, spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { bin, freePort, newSecret, root, run } from "../scripts/lib.mjs";
import { prepareDatabase } from "../scripts/prepare-db.mjs";

const READY_TIMEOUT_MS = 60_000;
const PROBE_TIMEOUT_MS = 5_000;
const STOP_TIMEOUT_MS = 3_000;

export const BENCH_DIST_DIR = ".next-bench";
// What the build is made from: a change to any of them after the build makes it stale.
const BUILD_INPUTS = [
  "app",
  "lib",
  "middleware.ts",
  "instrumentation.ts",
  "instrumentation.node.ts",
  "next.config.mjs",
  "package-lock.json",
];

const buildIdOf = (distDir) => join(root, distDir, "BUILD_ID");
const hasBuildIn = (distDir) => existsSync(buildIdOf(distDir));

/** When the newest of the build's inputs (BUILD_INPUTS, folders searched through) was last changed. */
function newestInputChangeMs() {
  const files = BUILD_INPUTS.map((input) => join(root, input))
    .filter((path) => existsSync(path))
    .flatMap((path) =>
      statSync(path).isDirectory() ? readdirSync(path, { recursive: true }).map((name) => join(path, name)) : [path],
    );
  return Math.max(...files.map((path) => statSync(path).mtimeMs));
}

const isFresh = (distDir) => hasBuildIn(distDir) && statSync(buildIdOf(distDir)).mtimeMs >= newestInputChangeMs();

/**
 * `next build` into .next-bench, with the benchmark's own pages (BENCH_BUILD=1, next.config.mjs). Next.js adds
 * its build's types folder (.next-bench/types) to tsconfig.json's include when it is missing; the bench puts
 * tsconfig.json back exactly as it found it, so that a benchmark run never leaves a change in the working tree.
 */
async function buildForBench() {
  const tsconfigPath = join(root, "tsconfig.json");
  const tsconfig = readFileSync(tsconfigPath, "utf8");
  const env = { ...process.env, NODE_ENV: "production", NEXT_DIST_DIR: BENCH_DIST_DIR, BENCH_BUILD: "1", NEXT_TELEMETRY_DISABLED: "1" };
  delete env.SESSION_SECRET; // middleware must read the secret when the server starts, never have it baked in
  try {
    await run(bin("next"), ["build"], { env, quiet: true });
  } finally {
    if (readFileSync(tsconfigPath, "utf8") !== tsconfig) writeFileSync(tsconfigPath, tsconfig);
  }
}

let build;

/** The build the server figures serve, built first when the mode calls for it (see above): { distDir, built, seconds }. */
export function serverBuild({ smoke, reuseBuild = false }) {
  build ??= (async () => {
    const reuse = smoke ? isFresh(BENCH_DIST_DIR) : reuseBuild && hasBuildIn(BENCH_DIST_DIR);
    if (reuse) return { distDir: BENCH_DIST_DIR, built: false, seconds: 0 };
    const start = Date.now();
    console.log(`  next build into ${BENCH_DIST_DIR}...`);
    await buildForBench();
    return { distDir: BENCH_DIST_DIR, built: true, seconds: (Date.now() - start) / 1000 };
  })();
  return build;
}

async function waitUntilReady(baseURL, child) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode})`);
    const ok = await fetch(new URL("/api/health", baseURL)).then((r) => r.ok, () => false);
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`next start did not answer within ${READY_TIMEOUT_MS / 1000} s`);
}

/**
 * Separate CPUs for the server and for the load generator in this process, where the machine has two or more and
 * taskset (util-linux): { server: "0", load: "1" } on 2 cores; null otherwise. On 2 cores a load generator
 * sharing the server's core moved figure 2's per-round ratios anywhere between 0.63 and 1.16.
 */
export function cpuSplit() {
  const cpus = availableParallelism();
  if (cpus < 2) return null;
  try {
    execFileSync("taskset", ["-V"], { stdio: "ignore" });
  } catch {
    return null;
  }
  return { server: cpus === 2 ? "0" : `0-${cpus - 2}`, load: String(cpus - 1), all: `0-${cpus - 1}` };
}

/** Moves this process's main thread (where autocannon runs) onto `cpus`, a taskset CPU list. */
export function pinThisProcess(cpus) {
  execFileSync("taskset", ["-p", "-c", cpus, String(process.pid)], { stdio: "ignore" });
}

/**
 * Starts the server on a build from serverBuild(), with `settings` added to its environment, on the CPUs
 * `cpus` names (a taskset list; every CPU when absent); returns { baseURL, probe(), stop() }.
 */
export async function startServer({ distDir }, settings = {}, { cpus } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "tessera-bench-"));
  const env = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: `file:${join(dir, "bench.db")}`,
    SESSION_SECRET: newSecret(),
    NEXT_DIST_DIR: distDir,
    BENCH_PUBLIC_PAGE: "1", // app/bench/public: the public twin of /account, a 404 without this
    BENCH_SIGN_IN_ROUTE: "1", // app/bench/sign-in: figure 12's hash-and-insert sign-in, a 404 without this
    // Every bench person signs up from this one address, and figure 4 signs one account in over 20 connections at
    // once: limits a burst would trip would measure the 429s, not the sign-ins. The counting itself still runs.
    SIGN_UPS_PER_ADDRESS: "1000000",
    SIGN_INS_PER_ACCOUNT: "100",
    BENCH_PROBE_DIR: dir,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${pathToFileURL(join(root, "bench", "server-probe.mjs")).href}`.trim(),
    ...settings,
  };
  await prepareDatabase(env);
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  // Required in production (links in mail are built on it); the bench sends no mail (no SMTP_URL).
  env.APP_URL ??= baseURL;
  const command = [bin("next"), "start", "-p", String(port), "-H", "127.0.0.1"];
  const [file, ...args] = cpus ? ["taskset", "-c", cpus, ...command] : command; // taskset execs: same pid
  const child = spawn(file, args, {
    cwd: root,
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitUntilReady(baseURL, child);
  // The server's processes that are still running (the `next` launcher we spawned may have exited already, and so
  // have the `prisma` commands that prepared the database, which load the probe too). A pid whose process has gone
  // may name another's by now: only a process with the start time its probe wrote is still ours to read or signal.
  const processes = () =>
    readdirSync(dir)
      .filter((name) => name.endsWith(".pid"))
      .map((name) => Number(name.slice(0, -4)))
      .filter((pid) => (pid === child.pid ? child.exitCode === null && child.signalCode === null : alive(pid)))
      .filter((pid) => startTimeIn(`/proc/${pid}/stat`) === readFileSync(join(dir, `${pid}.pid`), "utf8"));
  const signal = (pid, name) => {
    try {
      process.kill(pid, name);
    } catch {
      // that process has already gone
    }
  };
  return {
    baseURL,
    /** The server's event-loop delay since the last probe, and its memory; the busiest process's figures. */
    async probe() {
      for (const file of readdirSync(dir).filter((name) => name.endsWith(".json"))) rmSync(join(dir, file));
      const pids = processes();
      for (const pid of pids) signal(pid, "SIGUSR2");
      const deadline = Date.now() + PROBE_TIMEOUT_MS;
      let reports = [];
      while (Date.now() < deadline) {
        await sleep(50);
        reports = readdirSync(dir).filter((name) => name.endsWith(".json"));
        if (reports.length >= pids.length) break;
      }
      if (reports.length === 0) throw new Error("the server's probe wrote nothing");
      return reports
        .map((name) => JSON.parse(readFileSync(join(dir, name), "utf8")))
        .reduce((a, b) => (b.peakRssMiB > a.peakRssMiB ? b : a));
    },
    /**
     * CPU time each of the server's processes has used since it started, in seconds: all its threads (the event
     * loop, libuv's pool where argon2 hashes, V8's helpers) and its main thread alone, from /proc (Linux), as
     * { "pid@start time": { total, mainThread } }. Subtract two readings with cpuUsedBetween().
     */
    cpu() {
      const readings = processes().map((pid) => [`${pid}@${startTimeIn(`/proc/${pid}/stat`)}`, cpuSecondsOf(pid)]);
      return Object.fromEntries(readings.filter(([, used]) => used !== null));
    },
    async stop() {
      for (const pid of processes()) signal(pid, "SIGTERM");
      signal(child.pid, "SIGTERM");
      const deadline = Date.now() + STOP_TIMEOUT_MS;
      while (processes().length > 0 && Date.now() < deadline) await sleep(100);
      for (const pid of processes()) signal(pid, "SIGKILL"); // a server that will not stop
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The CPU seconds the server used between two readings of its cpu(): { total, mainThread }. Per process (pid and
 * start time), so that a process that has exited since the first reading takes its figures with it instead of
 * making the sum go down; one that appeared since counts from zero.
 */
export function cpuUsedBetween(before, after) {
  const used = { total: 0, mainThread: 0 };
  for (const [pid, now] of Object.entries(after)) {
    const then = before[pid] ?? { total: 0, mainThread: 0 };
    used.total += now.total - then.total;
    used.mainThread += now.mainThread - then.mainThread;
  }
  return used;
}

let clockTicks;
/** The fields of a /proc/<pid>/stat line after the command name, which is in brackets and may hold spaces. */
function statFields(path) {
  const line = readFileSync(path, "utf8");
  return line.slice(line.lastIndexOf(")") + 2).split(" ");
}

/** A process's start time (proc(5), field 22), as text; null when it has gone. */
function startTimeIn(path) {
  try {
    return statFields(path)[19];
  } catch {
    return null;
  }
}

/**
 * utime + stime of a process (all its threads) and of its main thread, in seconds (proc(5): fields 14 and 15, the
 * 12th and 13th after the command name); null once it has gone.
 */
function cpuSecondsOf(pid) {
  clockTicks ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  const seconds = (fields) => (Number(fields[11]) + Number(fields[12])) / clockTicks;
  try {
    return { total: seconds(statFields(`/proc/${pid}/stat`)), mainThread: seconds(statFields(`/proc/${pid}/task/${pid}/stat`)) };
  } catch {
    return null;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
