// Next.js apps the benchmark serves beside Tessera (figure 8's baselines, figure 9's peers): each a folder under
// bench/ with its own next.config.mjs, built by `next build` into a dist folder of its own and served by
// `next start` on a free loopback port. A build is reused while it is newer than everything it is made from (its
// folder, the shared inputs it names, and the installed Next.js), in full runs as in smoke runs: unlike Tessera's
// own build (server.mjs), these change only when their sources or Next.js do.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort, root, run } from "../scripts/lib.mjs";
import { groupCpu } from "./server.mjs";

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 3_000;

/** Every file under `path` (or `path` itself), leaving out build output and installed packages. */
function filesOf(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith(".next") && entry.name !== "node_modules")
    .flatMap((entry) => filesOf(join(path, entry.name)));
}

const newestChangeMs = (paths) => Math.max(0, ...paths.flatMap(filesOf).map((file) => statSync(file).mtimeMs));

/**
 * Builds the app in `dir` into `distDir` unless a build there is newer than all of `inputs` (paths relative to
 * the project root; the app's folder and the installed Next.js are always among them). `env` is added to the
 * build's environment (and must be the same when it is served). `nextBin` is the `next` to build with: the
 * project's own unless the app brings its own (a peer). Returns { built, seconds }.
 */
export async function buildApp({ dir, distDir, env = {}, inputs = [], nextBin = join(root, "node_modules", ".bin", "next") }) {
  const buildId = join(dir, distDir, "BUILD_ID");
  const allInputs = [dir, join(root, "package-lock.json"), join(root, "node_modules", "next", "package.json"), ...inputs.map((input) => join(root, input))];
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= newestChangeMs(allInputs)) return { built: false, seconds: 0 };
  const start = Date.now();
  console.log(`  next build of ${relative(root, dir)} into ${distDir}...`);
  await run(nextBin, ["build", dir], {
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: distDir, ...env },
    quiet: true,
  });
  return { built: true, seconds: (Date.now() - start) / 1000 };
}

/**
 * Installs the packages of a peer app (bench/peers/*: its own package.json and lockfile) into its own
 * node_modules with `npm ci`, unless they are installed already from the lockfile as it is now. Offline when
 * npm's cache has them (--prefer-offline). Its .npmrc keeps npm from installing the peers' peer dependencies
 * (Next.js, React): the app resolves the project's own, so that only one copy of each is ever loaded.
 */
export function installPeer(dir) {
  const lockfile = join(dir, "package-lock.json");
  const installed = join(dir, "node_modules", ".package-lock.json");
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lockfile).mtimeMs) return false;
  console.log(`  npm ci in ${relative(root, dir)}...`);
  execFileSync("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--legacy-peer-deps"], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
  return true;
}

/**
 * `next start` of the app in `dir`, serving `distDir`, with `env` added (an object, or a function of the
 * server's base URL that returns one), on the CPUs `cpus` names (a taskset list; every CPU when absent). Ready
 * once `readyPath` answers at all. Returns { baseURL, cpu(), stop() }; cpu() reads as a server.mjs server's does.
 */
export async function startApp({ dir, distDir, env = {}, cpus, readyPath = "/", nextBin = join(root, "node_modules", ".bin", "next") }) {
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  if (typeof env === "function") env = env(baseURL);
  const command = [nextBin, "start", dir, "-p", String(port), "-H", "127.0.0.1"];
  const [file, ...args] = cpus ? ["taskset", "-c", cpus, ...command] : command;
  // A process group of its own, so that stop() ends the server and whatever it started, and nothing else.
  const child = spawn(file, args, {
    cwd: dir,
    detached: true,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: distDir, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start of ${relative(root, dir)} exited (${child.exitCode})`);
    if (await fetch(new URL(readyPath, baseURL), { redirect: "manual" }).then(() => true, () => false)) break;
    if (Date.now() > deadline) throw new Error(`next start of ${relative(root, dir)} did not answer within ${READY_TIMEOUT_MS / 1000} s`);
    await sleep(200);
  }
  const signalGroup = (name) => {
    try {
      process.kill(-child.pid, name);
      return true;
    } catch {
      return false; // the group has gone
    }
  };
  return {
    baseURL,
    cpu: () => groupCpu(child.pid),
    async stop() {
      signalGroup("SIGTERM");
      const stopBy = Date.now() + STOP_TIMEOUT_MS;
      while (Date.now() < stopBy && signalGroup(0)) await sleep(100);
      signalGroup("SIGKILL");
    },
  };
}
