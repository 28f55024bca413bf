// `npm test`: every stage below, each one run whatever happened in the ones before (a type error must not hide a
// failing story), then the failed tests by name and the closing count (scripts/test-report.mjs). Exits non-zero
// if anything failed.
//   node scripts/test.mjs           every stage
//   node scripts/test.mjs --quick   the inner loop: typecheck, lint and the unit tests (`npm run test:quick`)
//
// The stages run in two lanes at once, so that both cores stay busy until the end: a whole run is CPU-bound. The
// browser lane (the build, the end-to-end passes on it, then the PostgreSQL integration tests) prints as it goes;
// the other lane's output goes to a file per stage, with a line when each ends (and the file's last lines if it
// failed), so that the two never interleave.
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, readFileSync, rmSync } from "node:fs";
import { relative } from "node:path";
import { root } from "./lib.mjs";
import { closingReport, countsOf, logFile, REPORT_DIR, reportFile } from "./test-report.mjs";

/** Each stage is an npm script; the ones that run tests write a JSON report that names their failures. */
const CHECKS = [
  { script: "typecheck", quick: true },
  { script: "lint", quick: true },
  { script: "check:schema" },
  { script: "test:unit", report: "unit", quick: true },
  { script: "test:integration", report: "integration-sqlite" },
  { script: "bench:smoke" },
];
// The PostgreSQL integration tests close this lane rather than the other, so that the two lanes end about together.
const BROWSER = [
  { script: "build" },
  { script: "test:e2e", report: "e2e-sqlite" },
  { script: "test:e2e:postgresql", report: "e2e-postgresql" },
  { script: "test:integration:postgresql", report: "integration-postgresql" },
];

// The typecheck stage checks the types once; the builds (this one, and the benchmark's) need not do it again.
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TESSERA_BUILD_SKIP_TYPECHECK: "1", E2E_SKIP_BUILD: "1" };

/** Runs one npm script, its output to the terminal or (with `log`) to that file; resolves with its exit code. */
function runScript(script, log) {
  return new Promise((resolve) => {
    const out = log ? createWriteStream(log) : null;
    const child = spawn("npm", ["run", "--silent", script], { cwd: root, env, stdio: out ? ["ignore", "pipe", "pipe"] : "inherit" });
    child.stdout?.pipe(out, { end: false });
    child.stderr?.pipe(out, { end: false });
    child.on("error", () => resolve(1));
    child.on("close", (code, signal) => {
      if (out) out.end(() => resolve(signal ? 1 : code));
      else resolve(signal ? 1 : code);
    });
  });
}

const results = [];

async function runStage({ script, report }, { quiet }) {
  const log = quiet ? logFile(`stage-${script.replaceAll(":", "-")}`) : null;
  console.log(quiet ? `━━ npm run ${script} started (output: ${relative(root, log)})` : `\n━━ npm run ${script}`);
  const started = Date.now();
  const code = await runScript(script, log);
  const seconds = (Date.now() - started) / 1000;
  results.push({ script, report, code, seconds });
  console.log(`━━ npm run ${script}: ${code === 0 ? "passed" : `failed (exit ${code})`} in ${seconds.toFixed(0)} s`);
  if (code !== 0 && log) {
    const tail = readFileSync(log, "utf8").trimEnd().split("\n").slice(-30);
    console.log(tail.map((line) => `   │ ${line}`).join("\n"));
  }
}

async function lane(stages, options) {
  for (const stage of stages) await runStage(stage, options);
}

const quick = process.argv.includes("--quick");
rmSync(REPORT_DIR, { recursive: true, force: true });
// The end-to-end stages serve the build stage's output (E2E_SKIP_BUILD): never a build left from before it.
if (!quick) rmSync(`${root}.next/BUILD_ID`, { force: true });
const started = Date.now();
if (quick) {
  await lane(CHECKS.filter((stage) => stage.quick), { quiet: false });
} else {
  await Promise.all([lane(BROWSER, { quiet: false }), lane(CHECKS, { quiet: true })]);
}
const wall = (Date.now() - started) / 1000;

console.log("\nStages:");
for (const { script, code, seconds } of results) {
  console.log(`  ${code === 0 ? "ok  " : "FAIL"}  ${script.padEnd(28)} ${seconds.toFixed(0).padStart(4)} s`);
}
console.log(`  all, ${quick ? "one after another" : "in two lanes"} ${" ".repeat(quick ? 6 : 11)} ${wall.toFixed(0).padStart(4)} s`);

// A stage that failed is named as a failure of its own unless its report already names what failed (a runner
// that failed its tests exits non-zero too); one that wrote no report (typecheck, lint, a build) always is.
const namesItsFailures = (report) => {
  const file = report && reportFile(report);
  return Boolean(file && existsSync(file) && countsOf(JSON.parse(readFileSync(file, "utf8"))).failed > 0);
};
const failedStages = results.filter(({ code, report }) => code !== 0 && !namesItsFailures(report));
const passed = closingReport(failedStages.map(({ script }) => `npm run ${script}`));
process.exit(passed && results.every(({ code }) => code === 0) ? 0 : 1);
