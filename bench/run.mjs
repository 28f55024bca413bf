// `npm run bench`: measures every figure on this machine and writes bench/RESULTS.md and bench/results.svg. The
// end-to-end figures (2, 4, 6) build the app into .next-bench first and serve that (bench/server.mjs says why);
// `--reuse-build` serves an existing .next-bench as it is.
// `npm run bench:smoke` (or BENCH_SMOKE=1): every figure with tiny counts, written to a temporary folder, exit 0
// whatever the ratios (non-zero only when a figure cannot run): it proves the suite still runs, its figures mean
// nothing. `--only=1,5` runs some figures.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "../scripts/lib.mjs";
import { svgChart } from "./chart.mjs";
import { environment, markdownReport, markdownTable } from "./report.mjs";
import * as tokenVerify from "./figures/token-verify.mjs";
import * as middlewareOverhead from "./figures/middleware-overhead.mjs";
import * as sessionCheck from "./figures/session-check.mjs";
import * as signInLoad from "./figures/sign-in-load.mjs";
import * as tokenSize from "./figures/token-size.mjs";
import * as signInTiming from "./figures/sign-in-timing.mjs";
import * as resetTiming from "./figures/reset-timing.mjs";
import * as layerCost from "./figures/layer-cost.mjs";
import * as peers from "./figures/peers.mjs";
import * as manyPeople from "./figures/many-people.mjs";
import * as accessTokenVerify from "./figures/access-token-verify.mjs";
import * as signInCpu from "./figures/sign-in-cpu.mjs";
import * as breachedCheck from "./figures/breached-check.mjs";

// Numbers are the figures' names in RESULTS.md, the README and the ADRs: a new figure takes a new number.
const FIGURES = {
  1: tokenVerify,
  2: middlewareOverhead,
  3: sessionCheck,
  4: signInLoad,
  5: tokenSize,
  6: signInTiming,
  7: resetTiming,
  8: layerCost,
  9: peers,
  10: manyPeople,
  11: accessTokenVerify,
  12: signInCpu,
  13: breachedCheck,
};

const args = process.argv.slice(2);
const smoke = process.env.BENCH_SMOKE === "1" || args.includes("--smoke");
const reuseBuild = process.env.BENCH_REUSE_BUILD === "1" || args.includes("--reuse-build");
const only = args.find((arg) => arg.startsWith("--only="))?.slice("--only=".length).split(",");
const script = `node bench/run.mjs${args.length ? ` ${args.join(" ")}` : ""}`;
const npmScript = process.env.npm_lifecycle_event?.startsWith("bench") ? `npm run ${process.env.npm_lifecycle_event}` : "";
const command = `${npmScript ? `${npmScript} = ` : ""}${process.env.BENCH_SMOKE === "1" ? "BENCH_SMOKE=1 " : ""}${script}`;

const started = Date.now();
// A figure may have apps to build first (figures 8 and 9: `prepare()`). In smoke mode those builds start now, while
// the first figures run, since smoke figures mean nothing and the builds are most of their time; a full run
// builds each figure's apps when it comes, so that no build ever runs beside a measurement. A build that fails
// is reported by its figure, which awaits the same build.
if (smoke) {
  for (const [id, figure] of Object.entries(FIGURES)) {
    if (!only || only.includes(id)) figure.prepare?.().catch(() => {});
  }
}
const rows = [];
const notes = [];
let broken = 0;
for (const [id, figure] of Object.entries(FIGURES)) {
  if (only && !only.includes(id)) continue;
  const figureStart = Date.now();
  console.log(`Figure ${id}: ${figure.title}...`);
  const note = (text) => notes.push(`Figure ${id}: ${text}`);
  try {
    const result = await figure.run({ smoke, note, reuseBuild });
    rows.push(...result);
    console.log(`  ${result.length} rows in ${((Date.now() - figureStart) / 1000).toFixed(1)} s`);
  } catch (error) {
    // One broken figure must not cost the others' results; the run still fails at the end.
    broken++;
    note(`failed: ${error.message}`);
    console.error(error);
  }
}

const outdir = smoke ? mkdtempSync(join(tmpdir(), "tessera-bench-smoke-")) : join(root, "bench");
mkdirSync(outdir, { recursive: true });
const settings = smoke ? "smoke mode: tiny counts, figures not meaningful" : "full mode";
const report = markdownReport({ rows, notes, env: environment(), command, settings, chartFile: "results.svg" });
writeFileSync(join(outdir, "RESULTS.md"), report);
writeFileSync(join(outdir, "results.svg"), svgChart(rows, `Tessera benchmark ratios (${settings})`));

console.log(`\n${markdownTable(rows)}\n`);
for (const note of notes) console.log(`- ${note}`);
console.log(`\nWrote ${join(outdir, "RESULTS.md")} and results.svg in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
// A missed goal is a result, not a failure; a figure that could not run is. Open handles (a server's sockets,
// argon2's threads) must not keep a finished run alive.
process.exit(broken > 0 ? 1 : 0);
