// A/B of two Tessera builds, or of one build under two settings, on one page: the question a change to middleware
// or rendering asks before it is kept ("did this make the page cheaper?"). Both servers run at once on the
// server's CPU, autocannon on another, and take turns round by round, as figure 8 does; the answer is the median
// per-round ratio of requests/s, A over B, with its 95% bootstrap interval.
//
//   node bench/ab.mjs --a=.next-after --b=.next-before [--path=/account --signed-in] [--rounds=7]
//   node bench/ab.mjs --a=.next-bench --b=.next-bench --b-env=SOME_SWITCH=1
//   --header=name:value (repeatable) sends a header with every request (a router fetch: --header=rsc:1
//   --header=sec-fetch-dest:empty).
//
// Builds come from `BENCH_BUILD=1 NEXT_DIST_DIR=<dir> npx next build` (a benchmark build into its own folder);
// build the "before" side first, then change the code and build the "after" side into another folder.
// docs/decisions/0011-signed-out-pages.md records what this tool measured.
import { bootstrapInterval, interleave, median, roundRatios } from "./harness.mjs";
import { signUp } from "./http-forms.mjs";
import { burst } from "./load.mjs";
import { cpuSplit, pinThisProcess, startServer } from "./server.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const envOf = (text) => (text ? Object.fromEntries(text.split(",").map((pair) => pair.split("="))) : {});
const headers = Object.fromEntries(
  args.filter((arg) => arg.startsWith("--header=")).map((arg) => arg.slice("--header=".length).split(/:(.*)/s).slice(0, 2)),
);
const settings = {
  a: { distDir: option("a"), env: envOf(option("a-env")) },
  b: { distDir: option("b"), env: envOf(option("b-env")) },
};
if (!settings.a.distDir || !settings.b.distDir) {
  console.error("usage: node bench/ab.mjs --a=<dist dir> --b=<dist dir> [--a-env=K=V] [--b-env=K=V] [--path=/] [--signed-in] [--rounds=7] [--header=name:value]");
  process.exit(2);
}
const path = option("path", "/");
const rounds = Number(option("rounds", "7"));

const split = cpuSplit();
if (split) pinThisProcess(split.load);
const servers = {};
try {
  for (const [name, side] of Object.entries(settings)) {
    servers[name] = await startServer({ distDir: side.distDir }, side.env, { cpus: split?.server });
  }
  const sides = {};
  for (const [name, server] of Object.entries(servers)) {
    const cookie = args.includes("--signed-in") ? { cookie: (await signUp(server.baseURL)).cookie } : {};
    const request = { url: `${server.baseURL}${path}`, headers: { ...headers, ...cookie }, connections: 16, seconds: 4, expectStatus: 200 };
    sides[name] = async () => (await burst(request)).rps;
  }
  const samples = await interleave(sides, { rounds, warmup: 1 });
  const ratios = roundRatios(samples, "a", "b");
  const [low, high] = bootstrapInterval(ratios);
  const describe = (name) => `${settings[name].distDir}${option(`${name}-env`) ? ` (${option(`${name}-env`)})` : ""}`;
  console.log(`${path}${args.includes("--signed-in") ? " signed in" : ""}: A ${describe("a")} ${median(samples.a).toFixed(0)} req/s, B ${describe("b")} ${median(samples.b).toFixed(0)} req/s`);
  console.log(`A/B ${median(ratios).toFixed(2)} (${low.toFixed(2)}-${high.toFixed(2)}); rounds: ${ratios.map((ratio) => ratio.toFixed(2)).join(" ")}`);
} finally {
  for (const server of Object.values(servers)) await server.stop();
}
