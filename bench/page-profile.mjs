// Where a page's time goes under load: an inspector CPU profile of the server's main thread while autocannon
// loads one page, for Tessera (the benchmark's build, signed in where the page needs it) and for figure 8's
// baseline with an empty edge middleware, one after the other, each summarized by part of the stack
// (bench/cpu-profile.mjs). Busy milliseconds per request are what to compare; the profiler samples wall time, so
// read them beside CPU figures, not as CPU figures. Profiles are kept for a flame graph (Chrome's DevTools or
// speedscope open .cpuprofile files).
//
//   node bench/page-profile.mjs [--path=/account] [--seconds=10] [--warm-seconds=60] [--connections=16] [--reuse-build]
//                               [--out=dir] [--perf]
//
// Builds as figure 8 does (run `node bench/run.mjs --only=8` once first for the baseline's build).
// --perf samples with Linux perf instead (Debian's linux-perf package): CPU time of all the server's threads,
// summarized by perf-samples.mjs. The inspector's sampling costs the server so much that both servers ran at the
// same rate under it and measured alike; perf's costs a few percent. Use it for how much, the inspector for why.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { root } from "../scripts/lib.mjs";
import { summarizeProfile } from "./cpu-profile.mjs";
import { summarizePerfScript } from "./perf-samples.mjs";
import { signUp } from "./http-forms.mjs";
import { burst } from "./load.mjs";
import { startApp } from "./next-app.mjs";
import { cpuSplit, pinThisProcess, serverBuild, startServer } from "./server.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const path = option("path", "/account");
const seconds = Number(option("seconds", "10"));
const connections = Number(option("connections", "16"));
// Load before sampling: V8 goes on optimizing a Next.js server's functions for about a minute of load (--trace-opt:
// about 300 optimizations in the second 10 s, 3 in the ninth), and that compiling is not what a page costs.
const warmSeconds = Number(option("warm-seconds", "60"));
const out = option("out", mkdtempSync(join(tmpdir(), "tessera-page-profile-")));
mkdirSync(out, { recursive: true });

const probe = join(root, "bench", "server-probe.mjs");
const split = cpuSplit();
const usePerf = args.includes("--perf");
const PERF_HZ = 997;
if (usePerf) {
  try {
    execFileSync("perf", ["--version"], { stdio: "ignore" });
  } catch {
    console.error("--perf needs Linux perf (Debian: apt-get install linux-perf)");
    process.exit(2);
  }
}

/** The pid of the process listening on `baseURL`'s port: `next start`'s server, not the launcher. */
function listenerOf(baseURL) {
  const listening = execFileSync("ss", ["-ltnpH", `sport = :${new URL(baseURL).port}`], { encoding: "utf8" });
  const pid = /pid=(\d+)/.exec(listening)?.[1];
  if (!pid) throw new Error(`nothing listens on ${baseURL}`);
  return pid;
}

/** Loads `path` while perf samples the server listening on `baseURL`; the load's figures and the samples' summary. */
async function perfUnderLoad(label, baseURL, headers) {
  const url = new URL(path, baseURL).href;
  await burst({ url, connections, seconds: warmSeconds, headers, expectStatus: 200 }); // warm-up
  const data = join(out, `${label.replace(/\W+/g, "-")}.perf.data`);
  const pid = listenerOf(baseURL);
  // perf's complaints (perf_event_paranoid, say) go to stderr, where they explain a missing recording.
  const recording = spawn("perf", ["record", "-q", "-F", String(PERF_HZ), "-g", "-p", pid, "-o", data], { stdio: ["ignore", "ignore", "inherit"] });
  await new Promise((resolve) => setTimeout(resolve, 500)); // perf attaches to every thread
  const load = await burst({ url, connections, seconds, headers, expectStatus: 200 });
  recording.kill("SIGINT");
  await new Promise((resolve) => recording.once("exit", resolve));
  const script = execFileSync("perf", ["script", "-i", data, "-F", "comm,tid,ip,sym,dso"], { encoding: "utf8", maxBuffer: 2 ** 30, stdio: ["ignore", "pipe", "inherit"] });
  rmSync(`/tmp/perf-${pid}.map`, { force: true }); // the JIT's symbols, which perf script has read
  return { load, summary: summarizePerfScript(script, { hz: PERF_HZ, top: 25 }) };
}

/** Asks every process that announced itself in `probeDir` to write its profile (what startServer's probe() does). */
function probeAll(probeDir) {
  for (const name of readdirSync(probeDir).filter((file) => file.endsWith(".pid"))) {
    try {
      process.kill(Number(name.slice(0, -4)), "SIGUSR2");
    } catch {
      // that process has gone
    }
  }
}

/**
 * Loads `path` on a server whose probe writes profiles into `profileDir` when `writeProfile()` asks; returns the
 * load's figures and the profile's summary.
 */
async function profileUnderLoad(label, baseURL, headers, writeProfile, profileDir) {
  const url = new URL(path, baseURL).href;
  await burst({ url, connections, seconds: warmSeconds, headers, expectStatus: 200 }); // warm-up
  await writeProfile(); // ends the profile of start-up and warm-up
  for (const file of readdirSync(profileDir)) rmSync(join(profileDir, file));
  const load = await burst({ url, connections, seconds, headers, expectStatus: 200 });
  await writeProfile();
  const profile = readdirSync(profileDir)
    .map((file) => JSON.parse(readFileSync(join(profileDir, file), "utf8")))
    .sort((a, b) => b.samples.length - a.samples.length)[0];
  if (!profile) throw new Error(`${label}: no CPU profile was written`);
  writeFileSync(join(out, `${label.replace(/\W+/g, "-")}.cpuprofile`), JSON.stringify(profile));
  return { load, summary: summarizeProfile(profile, { top: 25 }) };
}

function print(label, { load, summary }) {
  const perRequest = (ms) => `${((ms / load.ok) * 1000).toFixed(0)} µs`;
  const busy = usePerf ? "CPU, all threads, while sampled" : "main thread busy";
  console.log(`\n${label}: ${load.rps.toFixed(0)} req/s, p99 ${load.p99Ms} ms, ${load.ok} answered 200 (${load.other} other); ${busy} ${perRequest(summary.busyMs)} a request`);
  for (const { name, ms, share } of summary.parts) console.log(`  ${(share * 100).toFixed(1).padStart(5)}%  ${perRequest(ms).padStart(8)}  ${name}`);
  console.log("  top frames by self time:");
  for (const { name, ms, share } of summary.frames) console.log(`  ${(share * 100).toFixed(1).padStart(5)}%  ${perRequest(ms).padStart(8)}  ${name}`);
}

const build = await serverBuild({ smoke: false, reuseBuild: args.includes("--reuse-build") });
// Names for JavaScript frames in perf's samples (/tmp/perf-<pid>.map), for the servers only: they inherit it.
if (usePerf) process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --perf-basic-prof-only-functions`.trim();
const stops = [];
try {
  const tesseraProfiles = mkdtempSync(join(tmpdir(), "tessera-profile-"));
  const tessera = await startServer(build, usePerf ? {} : { BENCH_CPU_PROFILE_DIR: tesseraProfiles }, { cpus: split?.server });
  stops.push(() => tessera.stop());
  const baselineProbe = mkdtempSync(join(tmpdir(), "tessera-baseline-probe-"));
  const baselineProfiles = mkdtempSync(join(tmpdir(), "tessera-baseline-profile-"));
  const baseline = await startApp({
    dir: join(root, "bench", "baseline"),
    distDir: ".next-middleware",
    cpus: split?.server,
    env: {
      BASELINE_MIDDLEWARE: "1",
      BENCH_PROBE_DIR: baselineProbe,
      ...(usePerf ? {} : { BENCH_CPU_PROFILE_DIR: baselineProfiles }),
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${pathToFileURL(probe).href}`.trim(),
    },
  });
  stops.push(() => baseline.stop());
  if (split) pinThisProcess(split.load);
  const { cookie } = await signUp(tessera.baseURL);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1000)); // a profile is written within its signal
  if (usePerf) {
    print("Tessera", await perfUnderLoad("Tessera", tessera.baseURL, { cookie }));
    print("empty middleware", await perfUnderLoad("empty middleware", baseline.baseURL, {}));
  } else {
    print("Tessera", await profileUnderLoad("Tessera", tessera.baseURL, { cookie }, () => tessera.probe(), tesseraProfiles));
    const probeBaseline = () => (probeAll(baselineProbe), settle());
    print("empty middleware", await profileUnderLoad("empty middleware", baseline.baseURL, {}, probeBaseline, baselineProfiles));
  }
  console.log(`\nProfiles: ${out}`);
} finally {
  for (const stop of stops.reverse()) await stop();
}
