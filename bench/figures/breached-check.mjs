// Figure 13: what the breached-password check costs sign-up and sign-in. Two servers from one build, the check on
// (BREACHED_PASSWORDS=range, against a local stub of the range API, as every other figure runs) and off
// (offline: the bundled list alone), in interleaved rounds:
// - sign-ups through the form, each with a new email and a new password, so that every check misses the cache
//   and asks the stub: the worst case, where a real deployment pays its round trip to the service;
// - sign-ins through the form, where the check runs after the answer and must cost the request nothing.
import { compare, interleave } from "../harness.mjs";
import { BENCH_PASSWORD, formRequest, signUp } from "../http-forms.mjs";
import { burst } from "../load.mjs";
import { serverBuild, startServer } from "../server.mjs";

export const title = "The breached-password check's cost: sign-up and sign-in, on and off";

const CONCURRENCY = 8;
const SETTINGS = {
  full: { rounds: 7, warmup: 1, seconds: 4 },
  smoke: { rounds: 1, warmup: 0, seconds: 1, amount: CONCURRENCY },
};
// Fixed-width stand-ins, replaced in the request body for each sign-up: same length, so the body stays valid.
const EMAIL_SLOT = "bench-000000000000@example.com";
const PASSWORD_SLOT = "a new passphrase 000000000000";

/** A sign-up post whose email and password are new for every request (autocannon's setupRequest). */
async function signUpEachNew(baseURL, side) {
  const request = await formRequest(baseURL, "/sign-up", { email: EMAIL_SLOT, password: PASSWORD_SLOT });
  const template = request.body.toString("latin1");
  let count = 0;
  return {
    ...request,
    eachRequest: (req) => {
      const n = `${side}${Date.now() % 1e8}${++count}`.slice(-12).padStart(12, "0");
      const body = template.replace("000000000000@", `${n}@`).replace("passphrase 000000000000", `passphrase ${n}`);
      return { ...req, body: Buffer.from(body, "latin1") };
    },
  };
}

export async function run({ smoke, reuseBuild, note }) {
  const build = await serverBuild({ smoke, reuseBuild });
  const { rounds, warmup, seconds, amount } = SETTINGS[smoke ? "smoke" : "full"];
  const servers = {
    on: await startServer(build, { BREACHED_PASSWORDS: "range" }),
    off: await startServer(build, { BREACHED_PASSWORDS: "offline" }),
  };
  try {
    let failures = 0;
    const load = async (request, expectStatus) => {
      const result = await burst({ ...request, connections: CONCURRENCY, seconds, amount, expectStatus });
      failures += result.other;
      return result.rps;
    };
    const sides = {};
    for (const [name, server] of Object.entries(servers)) {
      const signUpRequest = await signUpEachNew(server.baseURL, name === "on" ? "1" : "2");
      const { email } = await signUp(server.baseURL);
      const signInRequest = await formRequest(server.baseURL, "/sign-in", { email, password: BENCH_PASSWORD });
      sides[`signUp-${name}`] = () => load(signUpRequest, 303);
      sides[`signIn-${name}`] = () => load(signInRequest, 303);
    }
    const samples = await interleave(sides, { rounds, warmup });
    if (failures > 0) note(`${failures} requests were not answered 303 and were left out of requests/s`);
    return [
      compare(samples, {
        figure: 13,
        label: `sign-ups/s, a new password each (every check asks the stub), check on vs off, ${CONCURRENCY} at a time`,
        a: { name: "signUp-on", label: "BREACHED_PASSWORDS=range" },
        b: { name: "signUp-off", label: "offline" },
        unit: "/s",
        goal: { atLeast: 0.95 },
      }),
      compare(samples, {
        figure: 13,
        label: `sign-ins/s, check on (after the answer) vs off, ${CONCURRENCY} at a time`,
        a: { name: "signIn-on", label: "BREACHED_PASSWORDS=range" },
        b: { name: "signIn-off", label: "offline" },
        unit: "/s",
        goal: { atLeast: 0.95 },
      }),
    ];
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
  }
}
