// Figure 2: what the session check costs a request end to end. `next start`; the protected page (/account) and
// its public twin (/bench/public: the same markup from fixed data, no session lookup; app/bench/public/page.tsx),
// each hit by autocannon on loopback at a fixed concurrency for a fixed time, in alternating rounds.
//
// Three sides, so that the cost splits into its two parts:
// - /account with the session cookie: middleware verifies the cookie, the data access layer verifies it again,
//   reads the session joined to its user (one statement) and renders.
// - /bench/public without a cookie: middleware finds no cookie; the page renders. This is the goal's baseline:
//   the whole cost a signed-in person's request pays over an anonymous one's, middleware and data access layer
//   together. Sending the cookie here too would hide middleware's share and flatter the figure.
// - /bench/public with the same cookie: middleware verifies it as on /account, the page reads nothing. Against
//   /account it isolates the data access layer's share; against the cookie-less side, middleware's.
import { compare, interleave } from "../harness.mjs";
import { signUp } from "../http-forms.mjs";
import { burst } from "../load.mjs";
import { NO_BUILD_NOTE, serverBuild, startServer } from "../server.mjs";

export const title = "Middleware overhead end to end";

const PROTECTED_PATH = "/account";
const PUBLIC_PATH = "/bench/public";
const FALLBACK_PUBLIC_PATH = "/"; // only for a build older than app/bench/public (smoke mode serves what it finds)
const SETTINGS = {
  full: { rounds: 5, warmup: 1, load: { connections: 32, seconds: 6 } },
  smoke: { rounds: 1, warmup: 0, load: { connections: 4, amount: 20 } },
};

export async function run({ smoke, note, reuseBuild }) {
  const build = await serverBuild({ smoke, reuseBuild });
  if (!build) {
    note(NO_BUILD_NOTE);
    return [];
  }
  if (build.built) note(`built ${build.distDir} in ${build.seconds.toFixed(0)} s before the run (figures 2 and 4 serve it)`);
  const { rounds, warmup, load } = SETTINGS[smoke ? "smoke" : "full"];
  const server = await startServer(build);
  try {
    const { cookie } = await signUp(server.baseURL);
    let publicPath = PUBLIC_PATH;
    if ((await fetch(new URL(PUBLIC_PATH, server.baseURL))).status === 404) {
      publicPath = FALLBACK_PUBLIC_PATH;
      note(`the build in ${build.distDir} has no ${PUBLIC_PATH}: ${FALLBACK_PUBLIC_PATH} stands in for it, a different page`);
    }
    const at = (path) => new URL(path, server.baseURL).href;
    const pages = {
      protected: { url: at(PROTECTED_PATH), headers: { cookie } },
      public: { url: at(publicPath) },
      publicWithCookie: { url: at(publicPath), headers: { cookie } },
    };
    const bursts = Object.fromEntries(Object.keys(pages).map((name) => [name, []]));
    const side = (name) => async () => {
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
    const sides = {
      protected: { name: "protected", label: `${PROTECTED_PATH}, signed in` },
      public: { name: "public", label: `${publicPath}, no cookie` },
      publicWithCookie: { name: "publicWithCookie", label: `${publicPath}, same cookie` },
    };
    const settings = load.amount ? `${load.amount} requests` : `${load.seconds} s`;
    const at32 = `${load.connections} connections`;
    return [
      compare(rps, { figure: 2, label: `requests/s at ${at32}, ${settings}: signed in vs public twin`, a: sides.protected, b: sides.public, unit: "req/s", goal: { atLeast: 0.9 } }),
      compare(p99, { figure: 2, label: `p99 latency at ${at32}: signed in vs public twin`, a: sides.protected, b: sides.public, unit: "ms", goal: { atMost: 1.1 } }),
      compare(rps, { figure: 2, label: "requests/s, data access layer's share (public twin sent the cookie too)", a: sides.protected, b: sides.publicWithCookie, unit: "req/s" }),
      compare(rps, { figure: 2, label: "requests/s, middleware's share (public twin with vs without the cookie)", a: sides.publicWithCookie, b: sides.public, unit: "req/s" }),
    ];
  } finally {
    await server.stop();
  }
}
