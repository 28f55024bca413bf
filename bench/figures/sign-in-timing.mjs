// Figure 6: does a failed sign-in tell, by its timing, whether an account exists? (The security issue asks for
// the gap between an unknown email and a wrong password over 50+ interleaved attempts, kept within noise.)
//
// The sign-in form is posted as a browser without JavaScript posts it, one request at a time, the sides taking
// turns (A B C, then C B A, ...): an email no account has, and a wrong password for a real account. Each round's
// ratio compares neighbouring requests. "Within noise" is measured in the same run, not assumed: a third side
// sends wrong passwords to a second set of real accounts, the very same kind of request as the second side (an
// A/A comparison), and the unknown-email ratio must stay as close to 1 as the 95% bootstrap interval of that A/A
// ratio reaches. For context, the same comparison for a throttled real account and a throttled unknown email.
//
// Throttling must not answer in the password check's place: the server trusts one proxy hop (TRUSTED_PROXY_HOPS)
// and every attempt arrives "through" it from an address of its own, and no real account gets more wrong
// passwords than ATTEMPTS_PER_ACCOUNT, below the per-account limit (10, lib/limits/throttle.server.ts).
import { performance } from "node:perf_hooks";
import { bootstrapInterval, compare, interleave, median, roundRatios } from "../harness.mjs";
import { BENCH_PASSWORD, benchEmail, formPoster, nextClientAddress, signUp } from "../http-forms.mjs";
import { serverBuild, startServer } from "../server.mjs";

export const title = "Sign-in answers: unknown email vs wrong password";

const WRONG_PASSWORD = `not ${BENCH_PASSWORD}`;
const ATTEMPTS_PER_ACCOUNT = 5;
const INVALID = "Invalid email or password.";
const THROTTLED = "Too many attempts.";
const SETTINGS = {
  full: { rounds: 100, warmup: 10 },
  smoke: { rounds: 2, warmup: 1 },
};

/** Real accounts, each email listed ATTEMPTS_PER_ACCOUNT times: one entry per wrong-password attempt. */
async function accountsFor(baseURL, attempts) {
  const emails = [];
  for (let i = 0; i < Math.ceil(attempts / ATTEMPTS_PER_ACCOUNT); i++) {
    const { email } = await signUp(baseURL);
    emails.push(...Array(ATTEMPTS_PER_ACCOUNT).fill(email));
  }
  return emails;
}

export async function run({ smoke, note, reuseBuild }) {
  const build = await serverBuild({ smoke, reuseBuild });
  const { rounds, warmup } = SETTINGS[smoke ? "smoke" : "full"];
  const server = await startServer(build, { TRUSTED_PROXY_HOPS: "1" });
  try {
    const post = await formPoster(server.baseURL, "/sign-in");
    const unexpected = new Map();

    /** One sign-in attempt: its answer and response time, the request built before the clock starts. */
    const send = async (email, password) => {
      const { url, headers, ...init } = await post({ email, password });
      const start = performance.now();
      const response = await fetch(url, { ...init, headers: { ...headers, "x-forwarded-for": nextClientAddress() }, redirect: "manual" });
      const html = await response.text();
      return { ms: performance.now() - start, status: response.status, html };
    };
    /** The response time of an attempt expected to be answered 200 with `expected`; other answers are counted. */
    const attempt = async (email, password, expected) => {
      const { ms, status, html } = await send(email, password);
      if (status !== 200 || !html.includes(expected)) {
        const what = `${status}${html.includes(THROTTLED) ? " throttled" : ""} where "${expected}" was expected`;
        unexpected.set(what, (unexpected.get(what) ?? 0) + 1);
      }
      return ms;
    };

    const attempts = rounds + warmup;
    const [accounts, otherAccounts] = [await accountsFor(server.baseURL, attempts), await accountsFor(server.baseURL, attempts)];
    const failures = await interleave(
      {
        unknown: () => attempt(benchEmail(), WRONG_PASSWORD, INVALID),
        wrong: () => attempt(accounts.shift(), WRONG_PASSWORD, INVALID),
        wrongAgain: () => attempt(otherAccounts.shift(), WRONG_PASSWORD, INVALID),
      },
      { rounds, warmup },
    );

    // Past the per-account limit, a real account and an unknown email, each tried again and again.
    const throttledReal = (await accountsFor(server.baseURL, 1))[0];
    const throttledUnknown = benchEmail();
    for (const email of [throttledReal, throttledUnknown]) {
      for (let tries = 0; !(await send(email, WRONG_PASSWORD)).html.includes(THROTTLED); tries++) {
        if (tries > 100) throw new Error(`${email} was never throttled`);
      }
    }
    const throttled = await interleave(
      {
        real: () => attempt(throttledReal, WRONG_PASSWORD, THROTTLED),
        unknown: () => attempt(throttledUnknown, WRONG_PASSWORD, THROTTLED),
      },
      { rounds, warmup },
    );

    for (const [what, count] of unexpected) note(`${count} answers were ${what}`);
    const noise = bootstrapInterval(roundRatios(failures, "wrongAgain", "wrong"));
    const tolerance = Math.max(1 - noise[0], noise[1] - 1);
    const gapMs = median(failures.unknown) - median(failures.wrong);
    note(
      `${rounds} attempts a side after ${warmup} of warm-up; unknown email minus wrong password, medians: ` +
        `${gapMs >= 0 ? "+" : ""}${gapMs.toFixed(2)} ms; the A/A ratio's 95% interval ${noise[0].toFixed(3)}-${noise[1].toFixed(3)} ` +
        `sets the tolerance`,
    );
    const row = (samples, label, a, b, goal) => compare(samples, { figure: 6, label, a, b, unit: "ms", goal });
    return [
      row(failures, "sign-in form: unknown email vs wrong password, response time",
        { name: "unknown", label: "unknown email" }, { name: "wrong", label: "wrong password" }, { near: 1, tolerance }),
      row(failures, "noise: wrong password vs wrong password, other accounts (A/A)",
        { name: "wrongAgain", label: "wrong password" }, { name: "wrong", label: "wrong password" }),
      row(throttled, "throttled: real account vs unknown email, response time",
        { name: "real", label: "real account" }, { name: "unknown", label: "unknown email" }),
    ];
  } finally {
    await server.stop();
  }
}
