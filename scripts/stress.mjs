// `npm run test:stress`: the end-to-end suite on SQLite while a CPU hog keeps every core busy, as on a laptop doing
// other work. A test that passes only on a quiet machine is a race in the test (or the product): this finds it.
// The app is built first, before the hog starts; the hog is one spinning thread per core, stopped when the
// suite ends (and in any case after --max-minutes, so a killed run leaves nothing spinning: the threads die
// with this process).
//   npm run test:stress                        one run
//   npm run test:stress -- --rounds=5          five in a row, each timed; exit 1 if any failed
//   npm run test:stress -- e2e/passkeys.spec.ts --repeat-each=10   other arguments go to `playwright test`
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { readFileSync, rmSync } from "node:fs";
import { bin, run } from "./lib.mjs";
import { countsOf, failuresOf, reportFile } from "./test-report.mjs";

const option = (name, fallback) => Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const rounds = option("rounds", 1);
const maxMinutes = option("max-minutes", 60 * rounds);
const playwrightArgs = process.argv.slice(2).filter((arg) => !/^--(rounds|max-minutes)=/.test(arg));
const cores = availableParallelism();

/** One spinning thread per core until `stop()`, or until the deadline whatever happens. */
function startHog(deadline) {
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const spin = `
    const { workerData: { stopFlag, deadline } } = require("node:worker_threads");
    let sink = 0;
    while (Atomics.load(stopFlag, 0) === 0 && Date.now() < deadline) {
      for (let i = 0; i < 1e6; i++) sink = (sink + i * i) % 1000003;
    }`;
  const workers = Array.from({ length: cores }, () => new Worker(spin, { eval: true, workerData: { stopFlag, deadline } }));
  return async () => {
    Atomics.store(stopFlag, 0, 1);
    await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once("exit", resolve))));
  };
}

if (process.env.E2E_SKIP_BUILD !== "1") {
  console.log("Building once, before the hog starts...");
  const { SESSION_SECRET: _secret, ...env } = process.env;
  await run(bin("next"), ["build"], { env: { ...env, NODE_ENV: "production" } });
}

const results = [];
const stopHog = startHog(Date.now() + maxMinutes * 60_000);
try {
  for (let round = 1; round <= rounds; round++) {
    console.log(`\nStress round ${round} of ${rounds}: the e2e suite with ${cores} spinning threads beside it`);
    rmSync(reportFile("e2e-sqlite"), { force: true });
    const started = Date.now();
    let crashed = false;
    try {
      await run("node", ["scripts/e2e.mjs", ...playwrightArgs], { env: { ...process.env, E2E_SKIP_BUILD: "1" } });
    } catch {
      crashed = true;
    }
    const seconds = (Date.now() - started) / 1000;
    let counts = { passed: 0, failed: 1, skipped: 0 };
    let failures = [];
    try {
      const report = JSON.parse(readFileSync(reportFile("e2e-sqlite"), "utf8"));
      counts = countsOf(report);
      failures = failuresOf(report);
    } catch {
      // No report: the run broke before Playwright wrote one; it counts as one failure.
    }
    if (crashed && counts.failed === 0) counts.failed = 1;
    results.push({ round, seconds, ...counts, failures });
  }
} finally {
  await stopHog();
}

console.log("\nStress rounds (e2e on SQLite, every core busy beside it):");
for (const { round, seconds, passed, failed, skipped, failures } of results) {
  console.log(`  round ${round}: ${seconds.toFixed(0)} s, ${passed} passed, ${failed} failed, ${skipped} skipped`);
  for (const failure of failures) console.log(`    ${failure}`);
}
process.exit(results.every(({ failed }) => failed === 0) ? 0 : 1);
