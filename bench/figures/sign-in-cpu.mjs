// Figure 12: what a sign-in costs the server's CPU beyond the password hash (issue #13, item 5). The server's own
// CPU time (all its threads, from /proc: the event loop, and libuv's pool where argon2 hashes) per successful
// sign-in, for the same account, in interleaved rounds of the same number of sign-ins, a few at a time:
// - the floor: a benchmark-only route handler that does only what a sign-in cannot do without, the same password
//   check (the stored hash read by email, argon2id verify in the app's hashing slot) and the same session insert
//   (app/bench/sign-in/route.bench.ts, in the benchmark's build only);
// - the floor as a server action: the same work as the password action of the sign-in card, posted without
//   JavaScript (app/bench/sign-in-action/, the benchmark's build only). Against the floor, what Next.js's server
//   action costs (the multipart form, the action's lookup, its redirect); the form's CPU beyond it is Tessera's;
// - the sign-in form without JavaScript, figure 4's request: the server action, answered 303 to /account;
// - the sign-in form with JavaScript, as React posts it: the same action, whose redirect Next.js follows itself
//   (a second request to /account, through middleware, rendered into the same response);
// - the API's sign-in, POST /api/auth/token (context: it also issues an access and a refresh token).
// Both sides hash alike, so a difference of CPU per sign-in is what the sign-in does beyond the hash and the
// insert. Goal: at most 5 ms, judged on the 95% interval of the median per-round difference. The ratio of CPU per
// sign-in to the floor's is reported beside it.
//
// BENCH_CPU_PROFILE=1 adds a profile afterwards: for each side, a fresh server keeps an inspector CPU profile of
// its main thread (server-probe.mjs) over one burst of sign-ins, summarized in the notes by part of the stack and
// by the frames with the most self time. Profiling slows the server, so it never runs beside the measurement.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hash, verify } from "@node-rs/argon2";
import { bootstrapInterval, compare, interleave, median, resultRow } from "../harness.mjs";
import { summarizeProfile } from "../cpu-profile.mjs";
import { actionRequest, BENCH_PASSWORD, formRequest, signUp } from "../http-forms.mjs";
import { burst } from "../load.mjs";
import { loadProject } from "../project.mjs";
import { cpuUsedBetween, serverBuild, startServer } from "../server.mjs";

export const title = "Sign-in CPU beyond the hash";

const GOAL_MS = 5;
const ACCOUNT_PATH = "/account";
const SETTINGS = {
  full: { rounds: 7, warmup: 1, signIns: 40, connections: 4, profileSignIns: 120 },
  smoke: { rounds: 1, warmup: 0, signIns: 4, connections: 2, profileSignIns: 4 },
};

const SIDES = {
  floor: { label: "hash-and-insert route handler", expectStatus: 204 },
  floorAction: { label: "the floor's work as a server action, no JavaScript", expectStatus: 303 },
  form: { label: "POST /sign-in, no JavaScript", expectStatus: 303 },
  // Next.js 16 answers a server action that redirects with 200, the redirect in `x-action-redirect` and the next
  // page's payload in the body; a refused sign-in is a 200 too, so requests() checks this one signs in.
  action: { label: "POST /sign-in, with JavaScript", expectStatus: 200 },
  api: { label: "POST /api/auth/token", expectStatus: 200 },
};

/** Each side's request for this server: one account, signed in over and over. */
async function requests(baseURL) {
  const { email } = await signUp(baseURL);
  const credentials = { email, password: BENCH_PASSWORD };
  const json = (path) => ({
    url: new URL(path, baseURL).href,
    method: "POST",
    headers: { origin: baseURL, "content-type": "application/json" },
    body: JSON.stringify(credentials),
  });
  const action = await actionRequest(baseURL, "/sign-in", credentials);
  const { url, ...init } = action;
  const answer = await fetch(url, { ...init, redirect: "manual" });
  await answer.arrayBuffer();
  if (answer.headers.get("x-action-redirect")?.split(";")[0] !== ACCOUNT_PATH) {
    throw new Error(`the sign-in action answered ${answer.status} without a redirect to ${ACCOUNT_PATH}: it did not sign in`);
  }
  return {
    floor: json("/bench/sign-in"),
    floorAction: await formRequest(baseURL, "/bench/sign-in-action", credentials),
    form: await formRequest(baseURL, "/sign-in", credentials),
    action,
    api: json("/api/auth/token"),
  };
}

/** The CPU one argon2id verify costs in this process (a hash on one thread, nothing else): context for the notes. */
async function hashCpuMs(count) {
  const { PASSWORD_HASH_OPTIONS } = await loadProject();
  const passwordHash = await hash(BENCH_PASSWORD, PASSWORD_HASH_OPTIONS);
  await verify(passwordHash, BENCH_PASSWORD);
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) await verify(passwordHash, BENCH_PASSWORD);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / count;
}

async function profileSides(build, signIns, connections, note) {
  const dir = mkdtempSync(join(tmpdir(), "tessera-bench-profile-"));
  try {
    for (const [name, side] of Object.entries(SIDES)) {
      const server = await startServer(build, { BENCH_CPU_PROFILE_DIR: dir });
      try {
        const request = (await requests(server.baseURL))[name];
        await burst({ ...request, connections, amount: connections * 2, expectStatus: side.expectStatus }); // warm-up
        await server.probe(); // ends the profile of start-up and warm-up
        for (const file of readdirSync(dir)) rmSync(join(dir, file));
        const result = await burst({ ...request, connections, amount: signIns, expectStatus: side.expectStatus });
        await server.probe(); // writes the profile of the burst
        const profiles = readdirSync(dir).map((file) => JSON.parse(readFileSync(join(dir, file), "utf8")));
        for (const file of readdirSync(dir)) rmSync(join(dir, file));
        // `next start` and the server it runs are two processes: the server's is the profile with samples.
        const profile = profiles.sort((a, b) => b.samples.length - a.samples.length)[0];
        if (!profile) throw new Error("no CPU profile was written");
        const summary = summarizeProfile(profile, { top: 10 });
        const perSignIn = (ms) => `${(ms / result.ok).toFixed(1)} ms`;
        note(
          `profile, ${side.label}: ${result.ok} sign-ins, main thread busy ${perSignIn(summary.busyMs)} a sign-in (wall time while profiled, not CPU: read the shares); by part: ` +
            summary.parts
              .filter((part) => part.share >= 0.01)
              .map((part) => `${part.name} ${(part.share * 100).toFixed(0)}% (${perSignIn(part.ms)})`)
              .join(", "),
        );
        note(
          `profile, ${side.label}: top frames by self time: ` +
            summary.frames.map((frame) => `${frame.name} ${(frame.share * 100).toFixed(1)}%`).join("; "),
        );
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run({ smoke, note, reuseBuild }) {
  const { rounds, warmup, signIns, connections, profileSignIns } = SETTINGS[smoke ? "smoke" : "full"];
  const build = await serverBuild({ smoke, reuseBuild });
  const server = await startServer(build);
  const mainThread = Object.fromEntries(Object.keys(SIDES).map((name) => [name, []]));
  let failures = 0;
  let rows;
  try {
    const sent = await requests(server.baseURL);
    const side = (name) => async () => {
      const before = server.cpu();
      const result = await burst({ ...sent[name], connections, amount: signIns, expectStatus: SIDES[name].expectStatus });
      const used = cpuUsedBetween(before, server.cpu());
      failures += result.other;
      if (result.ok === 0) throw new Error(`no sign-in through ${SIDES[name].label} succeeded`);
      mainThread[name].push((used.mainThread * 1000) / result.ok);
      return (used.total * 1000) / result.ok;
    };
    const samples = await interleave(Object.fromEntries(Object.keys(SIDES).map((name) => [name, side(name)])), { rounds, warmup });
    if (failures > 0) note(`${failures} sign-ins were not answered as expected and were left out of CPU per sign-in`);
    note(
      `${rounds} rounds of ${signIns} sign-ins a side, ${connections} at a time, after ${warmup} of warm-up; the server's CPU time ` +
        "(all its threads, from /proc) divided by the successful sign-ins; the server on every CPU",
    );
    const msText = (values) => `${median(values).toFixed(1)} ms`;
    note(
      "CPU per sign-in, median (all threads / main thread): " +
        Object.entries(SIDES)
          .map(([name, { label }]) => `${label} ${msText(samples[name])} / ${msText(mainThread[name])}`)
          .join("; "),
    );
    note(`one argon2id verify alone costs ${(await hashCpuMs(smoke ? 2 : 20)).toFixed(1)} ms of CPU in the benchmark's process`);

    const beyondRow = (name, goal, base = "floor") => {
      const differences = samples[name].map((ms, round) => ms - samples[base][round]);
      const [low, high] = bootstrapInterval(differences);
      const value = median(differences);
      return resultRow({
        figure: 12,
        label: `CPU per sign-in, ${SIDES[name].label} minus ${SIDES[base].label}, vs ${GOAL_MS} ms`,
        a: { label: "beyond", value, unit: "ms" },
        b: { label: goal ? "goal" : "the goal's 5 ms", value: GOAL_MS, unit: "ms" },
        ratio: value / GOAL_MS,
        interval: [low / GOAL_MS, high / GOAL_MS],
        goal: goal ? { atMost: 1 } : undefined,
      });
    };
    const floor = { name: "floor", label: SIDES.floor.label };
    const ratioRow = (name) =>
      compare(samples, {
        figure: 12,
        label: `CPU per sign-in: ${SIDES[name].label} vs the hash-and-insert handler`,
        a: { name, label: SIDES[name].label },
        b: floor,
        unit: "ms",
        interval: true,
      });
    rows = [
      beyondRow("form", true),
      beyondRow("action", true),
      beyondRow("api", false),
      // Context: the goal's 5 ms split into Next.js's price for a server action and what Tessera's sign-in adds.
      beyondRow("floorAction", false),
      beyondRow("form", false, "floorAction"),
      // Context: with JavaScript, Next.js follows the redirect and renders /account into the answer.
      beyondRow("action", false, "form"),
      ratioRow("form"),
      ratioRow("action"),
      ratioRow("api"),
    ];
  } finally {
    await server.stop();
  }
  if (process.env.BENCH_CPU_PROFILE === "1") await profileSides(build, profileSignIns, connections, note);
  return rows;
}
