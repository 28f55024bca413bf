// The production server for the end-to-end figures: `next start` on a free loopback port with its own fresh
// SQLite database and signing secret, and the probe (server-probe.mjs) preloaded. It serves the last
// `next build` (.next) and never builds one itself: a build writes .next in place, and one started while another
// (or a running e2e suite) uses .next would spoil both. Without a build the server figures are skipped.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { bin, freePort, newSecret, root } from "../scripts/lib.mjs";
import { prepareDatabase } from "../scripts/prepare-db.mjs";

const READY_TIMEOUT_MS = 60_000;
const PROBE_TIMEOUT_MS = 5_000;
const STOP_TIMEOUT_MS = 3_000;

export const hasBuild = () => existsSync(join(root, ".next", "BUILD_ID"));
export const NO_BUILD_NOTE = "skipped: no production build in .next (run `npm run build` first)";

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

/** Starts the server; returns { baseURL, probe(), stop() }. */
export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), "tessera-bench-"));
  const env = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: `file:${join(dir, "bench.db")}`,
    SESSION_SECRET: newSecret(),
    BENCH_PROBE_DIR: dir,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${pathToFileURL(join(root, "bench", "server-probe.mjs")).href}`.trim(),
  };
  await prepareDatabase(env);
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const child = spawn(bin("next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitUntilReady(baseURL, child);
  // The server's processes that are still running (the `next` launcher we spawned may have exited already).
  const processes = () =>
    readdirSync(dir)
      .filter((name) => name.endsWith(".pid"))
      .map((name) => Number(name.slice(0, -4)))
      .filter((pid) => (pid === child.pid ? child.exitCode === null && child.signalCode === null : alive(pid)));
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

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
