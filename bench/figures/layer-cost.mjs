// Figure 8: what the auth layer costs a page, against Next.js itself. The same small pages served three ways, by
// the same installed Next.js, each hit by autocannon on loopback in interleaved rounds:
// (a) bench/baseline built without middleware: Tessera's pages with no auth at all (its own components where they
//     need no session, fixed data where they would read one);
// (b) the same app with an empty edge middleware (`NextResponse.next()`, Tessera's matcher): what any app with a
//     middleware pays before it does anything;
// (c) Tessera (the benchmark's build, server.mjs): `/` and `/sign-in` signed out, `/account` signed in;
// and the same on Node.js: (d) the baseline with an empty `proxy.ts`, (e) Tessera with its gate as proxy.ts
// (docs/decisions/0012-the-gate-on-next-16.md), each judged against the framework's empty gate of its own kind.
// Before measuring, each of Tessera's pages and its baseline twin are fetched and compared: once scripts, ids
// React or the build makes up, the person's email and the dates are set aside, their <body> must be identical,
// or the figure fails (the pages have drifted apart, and the figure would compare different work).
// The goals compare Tessera with (b), judged on the 95% interval of the median per-round ratio; (b) against (a)
// is context: the price of having an edge middleware at all.
import { join } from "node:path";
import { root } from "../../scripts/lib.mjs";
import { compare, interleave } from "../harness.mjs";
import { cookieAfterVisit, signUp } from "../http-forms.mjs";
import { burst } from "../load.mjs";
import { buildApp, startApp } from "../next-app.mjs";
import { cpuSplit, cpuUsedBetween, pinThisProcess, serverBuild, startServer } from "../server.mjs";

export const title = "The auth layer's cost: Tessera vs a bare Next.js app";

const BASELINE_DIR = join(root, "bench", "baseline");
// What the baseline is made from besides its own folder: Tessera's components and routes it imports.
const BASELINE_INPUTS = ["app/_components", "app/_lib", "app/sign-in", "app/globals.css", "lib/routes.ts", "lib/passkeys/messages.ts"];
const BASELINES = {
  bare: { distDir: ".next-plain", env: {}, label: "bare Next.js" },
  emptyMiddleware: { distDir: ".next-middleware", env: { BASELINE_MIDDLEWARE: "1" }, label: "empty middleware" },
  emptyProxy: { distDir: ".next-proxy", env: { BASELINE_PROXY: "1" }, label: "empty proxy" },
};
// Tessera's two builds: the gate as edge middleware (what ships) and as a Node.js proxy.
const TESSERA = {
  tessera: { gate: "middleware", label: "Tessera" },
  tesseraProxy: { gate: "proxy", label: "Tessera on proxy.ts" },
};
const SERVERS = [...Object.keys(BASELINES), ...Object.keys(TESSERA)];
const labelOf = (server) => TESSERA[server]?.label ?? BASELINES[server].label;
const PAGES = {
  home: { path: "/", label: "/ signed out", goal: { atLeast: 0.95 } },
  signIn: { path: "/sign-in", label: "/sign-in signed out", goal: { atLeast: 0.95 } },
  account: { path: "/account", label: "/account signed in", goal: { atLeast: 0.9 }, signedIn: true },
};
const SETTINGS = {
  full: { rounds: 7, warmup: 1, load: { connections: 16, seconds: 4 } },
  smoke: { rounds: 1, warmup: 0, load: { connections: 4, amount: 20 } },
};

/** A page's <body> with what legitimately differs between two servers set aside: see the comment at the top. */
export function comparableMarkup(html) {
  const body = html.match(/<body[\s\S]*<\/body>/)?.[0] ?? "";
  return body
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/_R_[A-Za-z0-9]+_/g, "_R_") // useId
    .replace(/[0-9a-f]{32,}/g, "…") // server action ids and keys
    .replace(/bench-\d+-[a-z0-9]+@example\.com/g, "…@example.com")
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "…")
    .replace(/\d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d UTC/g, "…")
    .replace(/></g, ">\n<");
}

/** Throws unless two pages' markup is the same once comparableMarkup() has set aside what may differ. */
export function assertSameMarkup(what, tesseraHtml, otherHtml) {
  const [ours, theirs] = [tesseraHtml, otherHtml].map(comparableMarkup);
  if (ours === theirs && ours !== "") return;
  const a = ours.split("\n");
  const b = theirs.split("\n");
  const line = a.findIndex((text, i) => text !== b[i]);
  throw new Error(
    `${what} no longer renders Tessera's markup; first difference at line ${line + 1}: ` +
      `Tessera ${JSON.stringify(a[line])}, the other ${JSON.stringify(b[line])}`,
  );
}

let prepared;

/** Builds both baselines where their builds are stale, once per process; resolves to notes for the results. */
export function prepare() {
  prepared ??= (async () => {
    const notes = [];
    for (const baseline of Object.values(BASELINES)) {
      const made = await buildApp({ dir: BASELINE_DIR, distDir: baseline.distDir, env: baseline.env, inputs: BASELINE_INPUTS });
      if (made.built) notes.push(`built the ${baseline.label} baseline in ${made.seconds.toFixed(0)} s`);
    }
    return notes;
  })();
  return prepared;
}

export async function run({ smoke, note, reuseBuild }) {
  const { rounds, warmup, load } = SETTINGS[smoke ? "smoke" : "full"];
  const builds = {};
  for (const [name, { gate }] of Object.entries(TESSERA)) {
    builds[name] = await serverBuild({ smoke, reuseBuild, gate });
    if (builds[name].built) note(`built the ${gate} gate's build in ${builds[name].seconds.toFixed(0)} s before the run`);
  }
  for (const text of await prepare()) note(text);
  const split = smoke ? null : cpuSplit();
  if (split) note(`every server on CPU ${split.server}, autocannon on CPU ${split.load} (taskset)`);
  const servers = {};
  try {
    for (const name of Object.keys(TESSERA)) servers[name] = await startServer(builds[name], {}, { cpus: split?.server });
    for (const [name, baseline] of Object.entries(BASELINES)) {
      servers[name] = await startApp({ dir: BASELINE_DIR, distDir: baseline.distDir, env: baseline.env, cpus: split?.server });
    }
    if (split) pinThisProcess(split.load);
    const cookies = {};
    for (const name of Object.keys(TESSERA)) cookies[name] = (await signUp(servers[name].baseURL)).cookie;

    const requests = {};
    for (const [page, { path, signedIn }] of Object.entries(PAGES)) {
      for (const server of SERVERS) {
        const headers = signedIn && cookies[server] ? { cookie: cookies[server] } : {};
        requests[`${server}:${page}`] = { url: new URL(path, servers[server].baseURL).href, headers };
      }
      const fetchHtml = async (server) => {
        const response = await fetch(requests[`${server}:${page}`].url, { headers: requests[`${server}:${page}`].headers, redirect: "manual" });
        if (response.status !== 200) throw new Error(`${server} answered ${path} with ${response.status}`);
        return response.text();
      };
      const tesseraHtml = await fetchHtml("tessera");
      for (const other of SERVERS.filter((server) => server !== "tessera")) {
        assertSameMarkup(`${path} of ${labelOf(other)} (${BASELINES[other] ? "bench/baseline" : "the proxy build"})`, tesseraHtml, await fetchHtml(other));
      }
    }

    let failures = 0;
    // Besides the rates, the server's CPU time (all its threads, from /proc) per answered request: what a page
    // costs the machine, which the scheduling of two cores scatters far less than requests/s.
    const side = (name) => async () => {
      const server = servers[name.slice(0, name.indexOf(":"))];
      const { url, headers } = requests[name];
      if (headers.cookie) headers.cookie = await cookieAfterVisit(url, headers.cookie); // what the browser holds now
      const before = server.cpu();
      const result = await burst({ ...requests[name], ...load, expectStatus: 200 });
      const { total } = cpuUsedBetween(before, server.cpu());
      failures += result.other;
      return { ...result, cpuMs: (total * 1000) / Math.max(1, result.ok + result.other) };
    };
    const samples = await interleave(Object.fromEntries(Object.keys(requests).map((name) => [name, side(name)])), { rounds, warmup });
    if (failures > 0) note(`${failures} answers were not 200 and were left out of requests/s`);
    const figure = (key) => Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, list.map((r) => r[key])]));
    const rps = figure("rps");
    const p99 = figure("p99Ms");
    const cpu = figure("cpuMs");
    const settings = `${load.connections} connections, ${load.amount ? `${load.amount} requests` : `${load.seconds} s`} a round`;
    note(`${rounds} rounds of ${settings}; the pages' markup was compared with the baselines' before measuring and matched`);

    const sideOf = (server, page) => ({
      name: `${server}:${page}`,
      label: TESSERA[server] ? `${labelOf(server)} ${PAGES[page].label}` : `${labelOf(server)} ${PAGES[page].path}`,
    });
    const METRICS = new Map([
      [rps, { label: "requests/s", unit: "req/s" }],
      [p99, { label: "p99 latency", unit: "ms" }],
      [cpu, { label: "server CPU per request", unit: "ms" }],
    ]);
    const row = (samplesOf, a, b, page, { goal, context = !goal } = {}) =>
      compare(samplesOf, {
        figure: 8,
        label: `${METRICS.get(samplesOf).label}, ${PAGES[page].label}: ${labelOf(a)} vs ${labelOf(b)}${context ? " (context)" : ""}`,
        a: sideOf(a, page),
        b: sideOf(b, page),
        unit: METRICS.get(samplesOf).unit,
        goal,
        interval: true,
      });
    const pages = Object.keys(PAGES);
    return [
      // The goals: Tessera as shipped against the framework's own empty gate of the same kind.
      ...pages.map((page) => row(rps, "tessera", "emptyMiddleware", page, { goal: PAGES[page].goal })),
      ...pages.map((page) => row(rps, "emptyMiddleware", "bare", page)),
      row(rps, "tessera", "bare", "account"),
      row(p99, "tessera", "emptyMiddleware", "home"),
      row(p99, "tessera", "emptyMiddleware", "account", { goal: { atMost: 1.15 } }),
      ...pages.map((page) => row(cpu, "tessera", "emptyMiddleware", page)),
      // The same gate on Node.js (proxy.ts), for the decision between the two.
      ...pages.map((page) => row(rps, "tesseraProxy", "emptyProxy", page)),
      row(p99, "tesseraProxy", "emptyProxy", "home"),
      row(p99, "tesseraProxy", "emptyProxy", "account"),
      ...pages.map((page) => row(rps, "emptyProxy", "emptyMiddleware", page)),
      ...pages.map((page) => row(rps, "tesseraProxy", "tessera", page)),
      row(p99, "tesseraProxy", "tessera", "account"),
    ];
  } finally {
    if (split) pinThisProcess(split.all);
    for (const server of Object.values(servers)) await server.stop();
  }
}
