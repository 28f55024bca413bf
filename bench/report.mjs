// Writes the results: a markdown table with everything needed to judge and repeat the run (date, machine, Node
// and library versions, the exact command), and prints the same table.
import { readFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { root } from "../scripts/lib.mjs";

/** The packages whose versions the figures depend on, read from what is installed, not from package.json. */
const LIBRARIES = ["next", "jose", "jsonwebtoken", "jwt-simple", "autocannon", "@node-rs/argon2", "better-sqlite3", "esbuild"];
/** Figure 9's peers, installed in their own folders (bench/peers/*). */
const PEER_LIBRARIES = { "next-auth": "bench/peers/nextauth", "better-auth": "bench/peers/betterauth" };

function installedVersion(name, under = ".") {
  try {
    return JSON.parse(readFileSync(join(root, under, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return "not installed";
  }
}

export function environment() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: `${cpus[0]?.model.trim() ?? "unknown"} × ${cpus.length}`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    libraries: [
      ...LIBRARIES.map((name) => `${name} ${installedVersion(name)}`),
      ...Object.entries(PEER_LIBRARIES).map(([name, under]) => `${name} ${installedVersion(name, under)}`),
    ].join(", "),
  };
}

const formatValue = ({ value, unit }) =>
  `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${unit}`;
const verdict = (met) => (met === null ? "" : met ? "met" : "**missed**");
const cell = (text) => String(text).replace(/\|/g, "\\|");
/** The ratio, and its 95% interval where the row has one: "0.93 (0.90-0.96)". */
export const ratioText = ({ ratio, interval }) =>
  interval ? `${ratio.toFixed(2)} (${interval[0].toFixed(2)}-${interval[1].toFixed(2)})` : ratio.toFixed(2);

export function markdownTable(rows) {
  const lines = [
    "| # | comparison (A vs B) | A | B | ratio A/B (95% interval) | goal | |",
    "| --- | --- | --- | --- | ---: | --- | --- |",
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.figure} | ${cell(row.label)} | ${cell(row.a.label)}: ${formatValue(row.a)} | ${cell(row.b.label)}: ${formatValue(row.b)} | ${ratioText(row)} | ${row.goalText} | ${verdict(row.met)} |`,
    );
  }
  return lines.join("\n");
}

export function markdownReport({ rows, notes, env, command, settings, chartFile }) {
  const met = rows.filter((row) => row.met === true).length;
  const missed = rows.filter((row) => row.met === false).length;
  return `# Benchmark results

Written by \`${command}\`. Do not edit by hand: run it again.

- Date: ${env.date}
- Machine: ${env.cpu}; ${env.os}
- Node ${env.node}; ${env.libraries}
- Command: \`${command}\` (${settings})
- Goals: ${met} met, ${missed} missed

Every ratio is the median of per-round ratios, the two sides measured in alternating rounds (A B, then B A, ...)
after a warm-up, so that machine noise lands on both; absolute figures vary with the machine's load, the
ratios are what to read. Where a ratio has an interval in brackets (the 95% bootstrap interval of that median),
its goal counts as met only when the whole interval clears it. The machine may be shared with other work while
the benchmark runs (other builds and test suites): that is why the sides take turns, and why the scattered
figures carry intervals.

${markdownTable(rows)}

![ratios against their goals](${chartFile})

${notes.map((note) => `- ${note}`).join("\n")}
`;
}
