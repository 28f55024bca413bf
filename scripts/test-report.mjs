// One line of counts for the whole `npm test`, summed from the runners' own JSON reports (Vitest's and
// Playwright's), because CI reads a plain `N passed, N failed` as the very last line of its output and neither
// runner's closing line is one.
//   node scripts/test-report.mjs --reset   empties the report folder before a run
//   node scripts/test-report.mjs           prints the line (exit 1 if any report is missing counts)
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { root } from "./lib.mjs";

export const REPORT_DIR = join(root, ".test-reports");

/** Where one run's JSON report goes: the runners are told this path (package.json, scripts/e2e.mjs). */
export function reportFile(name) {
  mkdirSync(REPORT_DIR, { recursive: true });
  return join(REPORT_DIR, `${name}.json`);
}

/** Counts from a Vitest JSON report (numPassedTests…) or a Playwright one (stats.expected…). */
export function countsOf(report) {
  if (report.stats) {
    const { expected, unexpected, flaky, skipped } = report.stats;
    return { passed: expected + flaky, failed: unexpected, skipped };
  }
  if (typeof report.numTotalTests === "number") {
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      skipped: report.numPendingTests + report.numTodoTests,
    };
  }
  throw new Error("not a Vitest or Playwright JSON report");
}

function summarize() {
  const total = { passed: 0, failed: 0, skipped: 0 };
  const files = readdirSync(REPORT_DIR, { withFileTypes: true }).filter((entry) => entry.name.endsWith(".json"));
  for (const file of files) {
    const counts = countsOf(JSON.parse(readFileSync(join(REPORT_DIR, file.name), "utf8")));
    for (const key of Object.keys(total)) total[key] += counts[key];
  }
  if (files.length === 0) throw new Error(`no test reports in ${REPORT_DIR}`);
  return total;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  if (process.argv.includes("--reset")) {
    rmSync(REPORT_DIR, { recursive: true, force: true });
  } else {
    const { passed, failed, skipped } = summarize();
    // CI reads the count from the last lines of its log. The line goes last on both streams, so it stays last
    // however the log joins them. It carries no leading word: three runs closing on `tests: N passed, …` were
    // each counted as running no test, perhaps read as Jest's `Tests:` line, which ends in `N total`.
    const count = `${passed} passed, ${failed} failed, ${skipped} skipped`;
    console.log(count);
    console.error(count);
    process.exit(failed > 0 ? 1 : 0);
  }
}
