// `npm test`: every stage below, in order, each one run whatever happened in the ones before (a type error must
// not hide a failing story), then the failed tests by name and the closing count (scripts/test-report.mjs).
// Exits non-zero if anything failed.
//   node scripts/test.mjs           every stage
//   node scripts/test.mjs --quick   the inner loop: typecheck, lint and the unit tests (`npm run test:quick`)
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { root } from "./lib.mjs";
import { closingReport, countsOf, REPORT_DIR, reportFile } from "./test-report.mjs";

/** Each stage is an npm script; the ones that run tests write a JSON report that names their failures. */
const STAGES = [
  { script: "typecheck", quick: true },
  { script: "lint", quick: true },
  { script: "check:schema" },
  { script: "test:unit", report: "unit", quick: true },
  { script: "test:integration", report: "integration-sqlite" },
  { script: "test:integration:postgresql", report: "integration-postgresql" },
  { script: "test:e2e", report: "e2e-sqlite" },
  { script: "bench:smoke" },
  { script: "test:e2e:postgresql", report: "e2e-postgresql" },
];

function runScript(script) {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", script], { cwd: root, stdio: "inherit" });
    child.on("error", () => resolve(1));
    child.on("exit", (code, signal) => resolve(signal ? 1 : code));
  });
}

const quick = process.argv.includes("--quick");
rmSync(REPORT_DIR, { recursive: true, force: true });
const results = [];
for (const { script, report } of STAGES.filter((stage) => !quick || stage.quick)) {
  console.log(`\n━━ npm run ${script}`);
  const started = Date.now();
  const code = await runScript(script);
  const seconds = (Date.now() - started) / 1000;
  results.push({ script, report, code, seconds });
  console.log(`━━ npm run ${script}: ${code === 0 ? "passed" : `failed (exit ${code})`} in ${seconds.toFixed(0)} s`);
}

console.log("\nStages:");
for (const { script, code, seconds } of results) {
  console.log(`  ${code === 0 ? "ok  " : "FAIL"}  ${script.padEnd(28)} ${seconds.toFixed(0).padStart(4)} s`);
}
const total = results.reduce((sum, { seconds }) => sum + seconds, 0);
console.log(`  total ${" ".repeat(28)} ${total.toFixed(0).padStart(4)} s`);

// A stage that failed is named as a failure of its own unless its report already names what failed (a runner
// that failed its tests exits non-zero too); one that wrote no report (typecheck, lint, a build) always is.
const namesItsFailures = (report) => {
  const file = report && reportFile(report);
  return Boolean(file && existsSync(file) && countsOf(JSON.parse(readFileSync(file, "utf8"))).failed > 0);
};
const failedStages = results.filter(({ code, report }) => code !== 0 && !namesItsFailures(report));
const passed = closingReport(failedStages.map(({ script }) => `npm run ${script}`));
process.exit(passed && results.every(({ code }) => code === 0) ? 0 : 1);
