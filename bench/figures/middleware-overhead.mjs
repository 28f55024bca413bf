// Figure 2: what the session check costs a request end to end. `next start`; the protected page (/account) and
// its public twin (app/bench/public/page.tsx: the same component, no session), each hit by autocannon on
// loopback at a fixed concurrency for a fixed time, in alternating rounds; the server on one CPU and autocannon
// on another where the machine allows. Single rounds' ratios scatter widely on a shared 2-core machine, so every
// row carries the 95% bootstrap interval of its median ratio, and a goal is met only when that interval clears it.
//
// Four sides:
// - /account with the session cookie: middleware verifies the cookie, the data access layer verifies it again,
//   reads the session joined to its user (one statement), and the page renders that person.
// - /bench/public?email=… without a cookie: the identical public page, the goal's baseline. It reads the same
//   person from the same database (one indexed lookup) and renders them; no cookie, so middleware verifies
//   nothing and nobody checks a session. The difference is everything the session check costs.
// - /bench/public without a cookie: the same markup from fixed data, awaiting nothing. Against /account it shows
//   what a page pays for reading data at all: React cannot finish an awaiting page in one pass and streams it
//   (measured by profiling the server: the extra time is in Next.js's renderer and Node's streams, not in the
//   session check or Prisma). That was this figure's baseline until 2026-11-25 (docs/decisions/0006).
// - /bench/public with the same cookie: middleware verifies it as on /account, the page reads nothing. Against
//   the cookie-less side: middleware's share.
import { compare, interleave, roundRatios } from "../harness.mjs";
import { cookieAfterVisit, signUp } from "../http-forms.mjs";
import { burst } from "../load.mjs";
import { cpuSplit, pinThisProcess, serverBuild, startServer } from "../server.mjs";

export const title = "Middleware overhead end to end";

const PROTECTED_PATH = "/account";
const PUBLIC_PATH = "/bench/public";
const SETTINGS = {
  // 9 rounds, not the minimum 5: on 2 cores single rounds' ratios ranged from 0.63 to 1.16.
  full: { rounds: 9, warmup: 1, load: { connections: 32, seconds: 6 } },
  smoke: { rounds: 1, warmup: 0, load: { connections: 4, amount: 20 } },
};

export async function run({ smoke, note, reuseBuild }) {
  const build = await serverBuild({ smoke, reuseBuild });
  if (build.built) note(`built ${build.distDir} in ${build.seconds.toFixed(0)} s before the run (figures 2 and 4 serve it)`);
  const { rounds, warmup, load } = SETTINGS[smoke ? "smoke" : "full"];
  // The server on one set of CPUs, autocannon (in this process) on another, so that neither steals the other's.
  const split = smoke ? null : cpuSplit();
  if (split) note(`server on CPU ${split.server}, autocannon on CPU ${split.load} (taskset)`);
  const server = await startServer(build, {}, { cpus: split?.server });
  if (split) pinThisProcess(split.load);
  try {
    const { cookie, email } = await signUp(server.baseURL);
    // No stand-in for the twin: without it, this figure would measure something else.
    if ((await fetch(new URL(PUBLIC_PATH, server.baseURL))).status !== 200) {
      throw new Error(`the build in ${build.distDir} has no ${PUBLIC_PATH}: build it again (without --reuse-build)`);
    }
    const at = (path) => new URL(path, server.baseURL).href;
    const pages = {
      protected: { url: at(PROTECTED_PATH), headers: { cookie } },
      public: { url: at(PUBLIC_PATH) },
      publicWithCookie: { url: at(PUBLIC_PATH), headers: { cookie } },
      publicWithData: { url: at(`${PUBLIC_PATH}?${new URLSearchParams({ email })}`) },
    };
    const bursts = Object.fromEntries(Object.keys(pages).map((name) => [name, []]));
    const side = (name) => async () => {
      const { url, headers } = pages[name];
      if (headers?.cookie) headers.cookie = await cookieAfterVisit(url, headers.cookie); // what the browser holds now
      const result = await burst({ ...pages[name], ...load, expectStatus: 200 });
      bursts[name].push(result);
      return result;
    };
    const samples = await interleave(
      Object.fromEntries(Object.keys(pages).map((name) => [name, side(name)])),
      { rounds, warmup },
    );
    const failures = Object.values(bursts).flat().reduce((sum, b) => sum + b.other, 0);
    if (failures > 0) note(`${failures} answers were not 200 and were left out of requests/s`);
    const figure = (key) => Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, list.map((r) => r[key])]));
    const rps = figure("rps");
    const p99 = figure("p99Ms");
    const perRound = roundRatios(rps, "protected", "publicWithData").map((ratio) => ratio.toFixed(2));
    note(`requests/s, signed in vs identical public page, round by round: ${perRound.join(", ")}`);
    const sides = {
      protected: { name: "protected", label: `${PROTECTED_PATH}, signed in` },
      public: { name: "public", label: `${PUBLIC_PATH}, no cookie` },
      publicWithCookie: { name: "publicWithCookie", label: `${PUBLIC_PATH}, same cookie` },
      publicWithData: { name: "publicWithData", label: `${PUBLIC_PATH}?email=…, no cookie` },
    };
    const settings = load.amount ? `${load.amount} requests` : `${load.seconds} s`;
    const at32 = `${load.connections} connections`;
    return [
      compare(rps, { figure: 2, label: `requests/s at ${at32}, ${settings}: signed in vs identical public page`, a: sides.protected, b: sides.publicWithData, unit: "req/s", goal: { atLeast: 0.9 }, interval: true }),
      compare(p99, { figure: 2, label: `p99 latency at ${at32}: signed in vs identical public page`, a: sides.protected, b: sides.publicWithData, unit: "ms", goal: { atMost: 1.1 }, interval: true }),
      compare(rps, { figure: 2, label: "requests/s, signed in vs the public page from fixed data (reads nothing)", a: sides.protected, b: sides.public, unit: "req/s", interval: true }),
      compare(rps, { figure: 2, label: "requests/s, middleware's share (fixed-data page with vs without the cookie)", a: sides.publicWithCookie, b: sides.public, unit: "req/s", interval: true }),
    ];
  } finally {
    if (split) pinThisProcess(split.all);
    await server.stop();
  }
}
