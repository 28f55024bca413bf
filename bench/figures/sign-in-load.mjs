// Figure 4: sign-in under load. 20 concurrent sign-ins over HTTP against `next start`, against the bare rate of
// the same password check (argon2id verify at the app's parameters, 20 at a time, in this process) on the same
// machine, in alternating rounds; and, from inside the server, its event-loop delay p99 during the sign-ins and
// its peak RSS. A third side signs in through the API (POST /api/auth/token, a route handler): the same
// attemptSignIn, throttle and session row as the form, without the server action's machinery, so that the
// framework's share of a sign-in shows.
import { hash, verify } from "@node-rs/argon2";
import { compare, interleave, resultRow } from "../harness.mjs";
import { BENCH_PASSWORD, formRequest, signUp } from "../http-forms.mjs";
import { burst } from "../load.mjs";
import { loadProject } from "../project.mjs";
import { serverBuild, startServer } from "../server.mjs";

export const title = "Sign-in under load";

const CONCURRENCY = 20;
const EVENT_LOOP_P99_LIMIT_MS = 50;
const SETTINGS = {
  full: { rounds: 5, warmup: 1, seconds: 6 },
  // A count, not a time: on a busy machine one second may see no sign-in through.
  smoke: { rounds: 1, warmup: 0, seconds: 1, amount: CONCURRENCY },
};

/** Password checks per second with `concurrency` in flight, for `seconds`: the bare rate. */
async function bareVerifyRate(passwordHash, seconds) {
  const deadline = performance.now() + seconds * 1000;
  const start = performance.now();
  let done = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      if (!(await verify(passwordHash, BENCH_PASSWORD))) throw new Error("the bench password did not verify");
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return done / ((performance.now() - start) / 1000);
}

export async function run({ smoke, note, reuseBuild }) {
  const build = await serverBuild({ smoke, reuseBuild });
  const { rounds, warmup, seconds, amount } = SETTINGS[smoke ? "smoke" : "full"];
  const { PASSWORD_HASH_OPTIONS } = await loadProject();
  const passwordHash = await hash(BENCH_PASSWORD, PASSWORD_HASH_OPTIONS);
  const server = await startServer(build);
  try {
    const { email } = await signUp(server.baseURL);
    const signIn = await formRequest(server.baseURL, "/sign-in", { email, password: BENCH_PASSWORD });
    const apiSignIn = {
      url: new URL("/api/auth/token", server.baseURL).href,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: BENCH_PASSWORD }),
    };
    const idle = await server.probe();
    const during = [];
    let failures = 0;
    const sides = {
      http: async () => {
        await server.probe(); // starts a fresh event-loop histogram for this burst
        const result = await burst({ ...signIn, connections: CONCURRENCY, seconds, amount, expectStatus: 303 });
        during.push(await server.probe());
        failures += result.other;
        return result.rps;
      },
      api: async () => {
        const result = await burst({ ...apiSignIn, connections: CONCURRENCY, seconds, amount, expectStatus: 200 });
        failures += result.other;
        return result.rps;
      },
      bare: () => bareVerifyRate(passwordHash, seconds),
    };
    const samples = await interleave(sides, { rounds, warmup });
    if (failures > 0) note(`${failures} sign-ins were not answered 303 (form) or 200 (API) and were left out of sign-ins/s`);
    const measured = during.slice(warmup);
    const p99 = Math.max(...measured.map((probe) => probe.eventLoopDelayP99Ms));
    const peak = Math.max(...measured.map((probe) => probe.peakRssMiB));
    const { memoryCost: m, timeCost: t, parallelism: p } = PASSWORD_HASH_OPTIONS;
    return [
      compare(samples, {
        figure: 4,
        label: `sign-ins/s over HTTP vs bare argon2id (m=${m} KiB, t=${t}, p=${p}), ${CONCURRENCY} at a time`,
        a: { name: "http", label: "POST /sign-in" },
        b: { name: "bare", label: "argon2id verify" },
        unit: "/s",
        goal: { atLeast: 0.9 },
      }),
      compare(samples, {
        figure: 4,
        label: `API sign-ins/s (route handler) vs bare argon2id, ${CONCURRENCY} at a time`,
        a: { name: "api", label: "POST /api/auth/token" },
        b: { name: "bare", label: "argon2id verify" },
        unit: "/s",
      }),
      resultRow({
        figure: 4,
        label: "server event-loop delay p99 during sign-ins (worst round) vs 50 ms",
        a: { label: "p99", value: p99, unit: "ms" },
        b: { label: "limit", value: EVENT_LOOP_P99_LIMIT_MS, unit: "ms" },
        ratio: p99 / EVENT_LOOP_P99_LIMIT_MS,
        goal: { below: 1 },
      }),
      resultRow({
        figure: 4,
        label: "server peak RSS under sign-ins vs RSS idle",
        a: { label: "peak", value: peak, unit: "MiB" },
        b: { label: "idle", value: idle.rssMiB, unit: "MiB" },
        ratio: peak / idle.rssMiB,
      }),
    ];
  } finally {
    await server.stop();
  }
}
