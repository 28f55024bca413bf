// Figure 2: middleware overhead end to end. `next start`, a protected page and an identical public page, each hit
// by autocannon on loopback at a fixed concurrency for a fixed time, in alternating rounds.
//
// The public twin is still to come: until a page that renders what /account renders without requiring a session
// exists (e.g. app/bench-public/page.tsx), / stands in for it, so this figure compares two different pages and
// says so. The protected page gets the session cookie; the public one gets none.
import { compare, interleave } from "../harness.mjs";
import { signUp } from "../http-forms.mjs";
import { burst } from "../load.mjs";
import { hasBuild, NO_BUILD_NOTE, startServer } from "../server.mjs";

export const title = "Middleware overhead end to end";

const PROTECTED_PATH = "/account";
const PUBLIC_PATH = "/"; // stand-in for the public twin of /account
const SETTINGS = {
  full: { rounds: 5, warmup: 1, load: { connections: 32, seconds: 8 } },
  smoke: { rounds: 1, warmup: 0, load: { connections: 4, amount: 20 } },
};

export async function run({ smoke, note }) {
  if (!hasBuild()) {
    note(NO_BUILD_NOTE);
    return [];
  }
  const { rounds, warmup, load } = SETTINGS[smoke ? "smoke" : "full"];
  const server = await startServer();
  try {
    const { cookie } = await signUp(server.baseURL);
    const pages = {
      protected: { url: new URL(PROTECTED_PATH, server.baseURL).href, headers: { cookie } },
      public: { url: new URL(PUBLIC_PATH, server.baseURL).href },
    };
    const bursts = { protected: [], public: [] };
    const side = (name) => async () => {
      const result = await burst({ ...pages[name], ...load, expectStatus: 200 });
      bursts[name].push(result);
      return result;
    };
    const samples = await interleave({ protected: side("protected"), public: side("public") }, { rounds, warmup });
    const failures = Object.values(bursts).flat().reduce((sum, b) => sum + b.other, 0);
    if (failures > 0) note(`${failures} answers were not 200 and were left out of requests/s`);
    if (PUBLIC_PATH === "/") note("the public side is / until the public twin of /account exists");
    const figure = (key) => Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, list.map((r) => r[key])]));
    const sides = { a: { name: "protected", label: `${PROTECTED_PATH}, signed in` }, b: { name: "public", label: `${PUBLIC_PATH}, no cookie` } };
    const settings = load.amount ? `${load.amount} requests` : `${load.seconds} s`;
    return [
      compare(figure("rps"), { figure: 2, label: `requests/s at ${load.connections} connections, ${settings}`, ...sides, unit: "req/s", goal: { atLeast: 0.9 } }),
      compare(figure("p99Ms"), { figure: 2, label: `p99 latency at ${load.connections} connections`, ...sides, unit: "ms", goal: { atMost: 1.1 } }),
    ];
  } finally {
    await server.stop();
  }
}
