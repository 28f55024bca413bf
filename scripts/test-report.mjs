// One line of counts for the whole `npm test`, summed from the runners' own JSON reports (Vitest's and
// Playwright's), because CI reads a plain `N passed, N failed` as the very last line of its output and neither
// runner's closing line is one. Above it, each failed test by name (file:line and title), so that a person need
// not scroll back through every stage to find them.
//   node scripts/test-report.mjs --reset   empties the report folder before a run
//   node scripts/test-report.mjs           prints the failures and the line (exit 1 if anything failed)
// scripts/test.mjs calls closingReport() itself, adding the stages that failed without a report of their own.
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { root } from "./lib.mjs";

export const REPORT_DIR = join(root, ".test-reports");
/** Where the servers of a test run write their output (scripts/e2e.mjs, e2e/support/extra-server.ts). */
export const LOG_DIR = join(REPORT_DIR, "logs");

/** Where one run's JSON report goes: the runners are told this path (package.json, scripts/e2e.mjs). */
export function reportFile(name) {
  mkdirSync(REPORT_DIR, { recursive: true });
  return join(REPORT_DIR, `${name}.json`);
}

/** Where one server's output goes: a file under LOG_DIR. */
export function logFile(name) {
  mkdirSync(LOG_DIR, { recursive: true });
  return join(LOG_DIR, `${name}.log`);
}

/** Counts from a Vitest JSON report (numPassedTests…) or a Playwright one (stats.expected…). */
export function countsOf(report) {
  if (report.stats) {
    const { expected, unexpected, flaky, skipped } = report.stats;
    // An error outside any test (a config that throws, a server that never started) fails the run too.
    return { passed: expected + flaky, failed: unexpected + (report.errors?.length ?? 0), skipped };
  }
  if (typeof report.numTotalTests === "number") {
    // A file that fails before its tests run (an import that throws) counts no failed test: count the file.
    const brokenFiles = report.testResults.filter(
      (file) => file.status === "failed" && !file.assertionResults.some((test) => test.status === "failed"),
    ).length;
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests + brokenFiles,
      skipped: report.numPendingTests + report.numTodoTests,
    };
  }
  throw new Error("not a Vitest or Playwright JSON report");
}

const firstLine = (text = "") => text.trim().split("\n")[0] ?? "";

/** Each failure in a report, as `file:line  title`. */
export function failuresOf(report) {
  const failures = [];
  if (report.stats) {
    for (const error of report.errors ?? []) failures.push(`(outside any test)  ${firstLine(error.message)}`);
    const visit = (suite, titles) => {
      const path = suite.title && !suite.file?.endsWith(suite.title) ? [...titles, suite.title] : titles;
      for (const spec of suite.specs ?? []) {
        if (spec.tests.some((test) => test.status === "unexpected")) {
          failures.push(`e2e/${spec.file}:${spec.line}  ${[...path, spec.title].join(" › ")}`);
        }
      }
      for (const child of suite.suites ?? []) visit(child, path);
    };
    for (const suite of report.suites ?? []) visit(suite, []);
    return failures;
  }
  for (const file of report.testResults ?? []) {
    const name = relative(root, file.name);
    const failed = file.assertionResults.filter((test) => test.status === "failed");
    for (const test of failed) failures.push(`${name}:${test.location?.line ?? "?"}  ${test.fullName}`);
    if (file.status === "failed" && failed.length === 0) failures.push(`${name}  ${firstLine(file.message)}`);
  }
  return failures;
}

/** The reports in REPORT_DIR, by name (the file's name without .json). */
function readReports() {
  const files = readdirSync(REPORT_DIR, { withFileTypes: true }).filter((entry) => entry.name.endsWith(".json"));
  return files.map((file) => ({
    name: file.name.slice(0, -".json".length),
    report: JSON.parse(readFileSync(join(REPORT_DIR, file.name), "utf8")),
  }));
}

/** Every log file the run's servers wrote, relative to the project. */
function logFiles() {
  try {
    return readdirSync(LOG_DIR, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(root, join(entry.parentPath ?? entry.path, entry.name)))
      .sort();
  } catch {
    return [];
  }
}

/**
 * Prints the failures by name, the server logs when anything failed, and last, on both streams, the count.
 * `failedStages` are stages that failed without a failure in a report (a type error, a lint error, a build):
 * each counts as one failure. Returns whether everything passed.
 */
export function closingReport(failedStages = []) {
  const total = { passed: 0, failed: failedStages.length, skipped: 0 };
  const failures = failedStages.map((stage) => `(stage)  ${stage}`);
  for (const { name, report } of readReports()) {
    const counts = countsOf(report);
    for (const key of Object.keys(total)) total[key] += counts[key];
    failures.push(...failuresOf(report).map((failure) => `[${name}] ${failure}`));
  }
  if (failures.length > 0) {
    console.log(`\nFailed (${failures.length}):`);
    for (const failure of failures) console.log(`  ${failure}`);
    const logs = logFiles();
    if (logs.length > 0) {
      console.log("Server logs of this run:");
      for (const log of logs) console.log(`  ${log}`);
    }
  }
  // CI reads the count from the last lines of its log. The line goes last on both streams, so it stays last
  // however the log joins them. It carries no leading word: three runs closing on `tests: N passed, …` were
  // each counted as running no test, perhaps read as Jest's `Tests:` line, which ends in `N total`.
  const count = `${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`;
  console.log(count);
  console.error(count);
  return total.failed === 0;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  if (process.argv.includes("--reset")) {
    rmSync(REPORT_DIR, { recursive: true, force: true });
  } else {
    process.exit(closingReport() ? 0 : 1);
  }
}
