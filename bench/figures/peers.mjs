// Figure 9: Tessera against the auth libraries people would pick instead, the same protected page on the same
// machine. Each peer is a minimal Next.js app under bench/peers/, built by the project's own Next.js, rendering
// Tessera's /account markup (checked before measuring, as in figure 8) for the person its session names:
// - next-auth v5 (bench/peers/nextauth): credentials provider, JWT sessions (encrypted cookies), its auth() as
//   middleware;
// - better-auth (bench/peers/betterauth): email and password, sessions as rows of a SQLite file, its documented
//   cookie-presence middleware; served twice from one build, without and with its cookie cache.
// The peers' packages are the benchmark's alone: each peer folder has its own package.json and lockfile,
// installed there by `npm ci` on first use (bench/next-app.mjs), never into the app.
// Figures: /account's requests/s and p99, Tessera against each peer, in interleaved rounds with intervals; and
// what revoking a session does: each server signs a person in, the session is ended the way the library ends
// one (sign-out), and the cookie the browser had is sent again. Tessera refuses it on the next request; a peer
// that still answers keeps answering for as long as its design allows (stated in the notes).
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "../../scripts/lib.mjs";
import { compare, interleave, median, resultRow } from "../harness.mjs";
import { BENCH_PASSWORD, benchEmail, cookieAfterVisit, keptCookies, signUp } from "../http-forms.mjs";
import { burst } from "../load.mjs";
import { buildApp, installPeer, startApp } from "../next-app.mjs";
import { cpuSplit, pinThisProcess, serverBuild, startServer } from "../server.mjs";
import { assertSameMarkup } from "./layer-cost.mjs";

export const title = "Real peers: next-auth and better-auth against Tessera";

const PEERS_DIR = join(root, "bench", "peers");
// What the peers are made from besides their own folders: Tessera's components and the baseline's shell.
const PEER_INPUTS = ["app/_components", "app/_lib", "app/globals.css", "lib/routes.ts", "bench/baseline/app", "bench/peers/next-config.mjs"];
const DIST_DIR = ".next-bench";
const SETTINGS = {
  full: { rounds: 7, warmup: 1, load: { connections: 16, seconds: 4 } },
  smoke: { rounds: 1, warmup: 0, load: { connections: 4, amount: 20 } },
};
// How long each side's revoked session may keep working, by its design, when the figure sees it still answer.
const WINDOWS = {
  tessera: "none: the data access layer reads the session row on every request",
  nextauth: "until the JWT expires: 30 days (next-auth's default maxAge), renewed while it is used; nothing on the server can end it",
  betterauth: "none: the session row is read on every request",
  betterauthCached: "until the cookie cache expires: up to 5 minutes (its maxAge)",
};
const LABELS = { tessera: "Tessera", nextauth: "next-auth 5 (JWT)", betterauth: "better-auth (database sessions)", betterauthCached: "better-auth + cookie cache" };

/** The cookies a response sets, as a browser keeps them. */
const cookiesOf = (response) => keptCookies(response);
const cookieHeader = (pairs) => pairs.join("; ");

/** next-auth: its CSRF token, then the credentials callback; returns the cookie header a browser would send. */
async function signInNextAuth(baseURL, email) {
  const csrf = await fetch(new URL("/api/auth/csrf", baseURL));
  const { csrfToken } = await csrf.json();
  const csrfCookies = cookiesOf(csrf);
  const response = await fetch(new URL("/api/auth/callback/credentials", baseURL), {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(csrfCookies) },
    body: new URLSearchParams({ csrfToken, email, password: BENCH_PASSWORD }),
  });
  const session = cookiesOf(response).filter((pair) => pair.includes("session-token"));
  if (session.length === 0) throw new Error(`next-auth's sign-in answered ${response.status} without a session cookie`);
  return { cookie: cookieHeader([...csrfCookies, ...session]), csrfToken };
}

async function signOutNextAuth(baseURL, { cookie, csrfToken }) {
  const response = await fetch(new URL("/api/auth/signout", baseURL), {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ csrfToken }),
  });
  if (response.status !== 302) throw new Error(`next-auth's sign-out answered ${response.status}`);
}

/** better-auth: sign up by email (which signs in); returns the cookie header a browser would send. */
async function signInBetterAuth(baseURL, email) {
  const response = await fetch(new URL("/api/auth/sign-up/email", baseURL), {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseURL },
    body: JSON.stringify({ email, password: BENCH_PASSWORD, name: "Bench" }),
  });
  const cookies = cookiesOf(response);
  if (!response.ok || cookies.length === 0) throw new Error(`better-auth's sign-up answered ${response.status}: ${await response.text()}`);
  return { cookie: cookieHeader(cookies) };
}

async function signOutBetterAuth(baseURL, { cookie }) {
  const response = await fetch(new URL("/api/auth/sign-out", baseURL), {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseURL, cookie },
    body: "{}",
  });
  if (!response.ok) throw new Error(`better-auth's sign-out answered ${response.status}`);
}

/** Tessera: the header's "Sign out" form, posted as a browser without JavaScript posts it. */
async function signOutTessera(baseURL, { cookie }) {
  const page = await (await fetch(new URL("/account", baseURL), { headers: { cookie } })).text();
  const form = page.match(/<form id="site-sign-out"[\s\S]*?<\/form>/)?.[0] ?? "";
  const field = form.match(/<input type="hidden" name="([^"]+)"/)?.[1];
  if (!field) throw new Error("no sign-out form on Tessera's /account");
  const body = new FormData();
  body.append(field, "");
  const response = await fetch(new URL("/account", baseURL), { method: "POST", redirect: "manual", headers: { cookie, origin: baseURL }, body });
  if (response.status !== 303) throw new Error(`Tessera's sign-out answered ${response.status}`);
}

/** How many of `tries` requests for /account with a revoked session's cookie were answered 200. */
async function answeredAfterRevoking(baseURL, cookie, tries = 3) {
  let answered = 0;
  for (let i = 0; i < tries; i++) {
    const response = await fetch(new URL("/account", baseURL), { headers: { cookie }, redirect: "manual" });
    if (response.status === 200) answered++;
    await response.arrayBuffer();
  }
  return answered;
}

let prepared;

/** Installs and builds both peers where needed, once per process; resolves to notes for the results. */
export function prepare() {
  prepared ??= (async () => {
    const notes = [];
    for (const peer of ["nextauth", "betterauth"]) {
      const dir = join(PEERS_DIR, peer);
      if (installPeer(dir)) notes.push(`installed ${peer}'s packages into bench/peers/${peer} (npm ci)`);
      const made = await buildApp({ dir, distDir: DIST_DIR, inputs: PEER_INPUTS });
      if (made.built) notes.push(`built the ${peer} peer in ${made.seconds.toFixed(0)} s`);
    }
    return notes;
  })();
  return prepared;
}

export async function run({ smoke, note, reuseBuild }) {
  const { rounds, warmup, load } = SETTINGS[smoke ? "smoke" : "full"];
  const build = await serverBuild({ smoke, reuseBuild });
  for (const text of await prepare()) note(text);
  const split = smoke ? null : cpuSplit();
  if (split) note(`every server on CPU ${split.server}, autocannon on CPU ${split.load} (taskset)`);
  const dataDir = mkdtempSync(join(tmpdir(), "tessera-bench-peers-"));
  const servers = {};
  try {
    const email = benchEmail();
    servers.tessera = await startServer(build, {}, { cpus: split?.server });
    servers.nextauth = await startApp({
      dir: join(PEERS_DIR, "nextauth"),
      distDir: DIST_DIR,
      cpus: split?.server,
      env: { AUTH_SECRET: randomBytes(32).toString("base64"), PEER_EMAIL: email, PEER_PASSWORD: BENCH_PASSWORD },
    });
    for (const [name, cached] of [["betterauth", false], ["betterauthCached", true]]) {
      const dir = join(PEERS_DIR, "betterauth");
      const settings = (baseURL) => ({
        BETTER_AUTH_SECRET: randomBytes(32).toString("base64"),
        BETTER_AUTH_URL: baseURL,
        PEER_DATABASE_FILE: join(dataDir, `${name}.db`),
        PEER_COOKIE_CACHE: cached ? "1" : "0",
      });
      // The tables first, by better-auth's own migration API, in the file the server will open.
      execFileSync(process.execPath, ["migrate.mjs"], { cwd: dir, env: { ...process.env, ...settings("http://127.0.0.1") }, stdio: ["ignore", "ignore", "inherit"] });
      servers[name] = await startApp({ dir, distDir: DIST_DIR, cpus: split?.server, env: settings });
    }
    if (split) pinThisProcess(split.load);

    const sessions = {
      tessera: await signUp(servers.tessera.baseURL),
      nextauth: await signInNextAuth(servers.nextauth.baseURL, email),
      betterauth: await signInBetterAuth(servers.betterauth.baseURL, email),
      betterauthCached: await signInBetterAuth(servers.betterauthCached.baseURL, email),
    };
    const names = Object.keys(sessions);
    const request = (name) => ({ url: new URL("/account", servers[name].baseURL).href, headers: { cookie: sessions[name].cookie } });
    const pages = {};
    for (const name of names) {
      const response = await fetch(request(name).url, { headers: request(name).headers, redirect: "manual" });
      if (response.status !== 200) throw new Error(`${LABELS[name]} answered /account with ${response.status} for a signed-in person`);
      pages[name] = await response.text();
    }
    for (const name of names) assertSameMarkup(`${LABELS[name]}'s /account`, pages.tessera, pages[name]);

    let failures = 0;
    const samples = await interleave(
      Object.fromEntries(
        names.map((name) => [
          name,
          async () => {
            // The cookies the person's browser holds by now: whatever the server renewed since the last round.
            sessions[name].cookie = await cookieAfterVisit(request(name).url, sessions[name].cookie);
            const result = await burst({ ...request(name), ...load, expectStatus: 200 });
            failures += result.other;
            return result;
          },
        ]),
      ),
      { rounds, warmup },
    );
    if (failures > 0) note(`${failures} answers were not 200 and were left out of requests/s`);
    const figure = (key) => Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, list.map((r) => r[key])]));
    const rps = figure("rps");
    const p99 = figure("p99Ms");

    // Revocation, after the load (it ends the sessions the load used).
    const signOut = { tessera: signOutTessera, nextauth: signOutNextAuth, betterauth: signOutBetterAuth, betterauthCached: signOutBetterAuth };
    const stillAnswered = {};
    for (const name of names) {
      await signOut[name](servers[name].baseURL, sessions[name]);
      stillAnswered[name] = await answeredAfterRevoking(servers[name].baseURL, sessions[name].cookie);
      note(`${LABELS[name]}: after sign-out, the old cookie opened /account ${stillAnswered[name]} times of 3; a revoked session keeps working: ${stillAnswered[name] ? WINDOWS[name] : "no (refused on the next request)"}`);
    }

    const side = (name) => ({ name, label: `${LABELS[name]} /account` });
    const peers = names.filter((name) => name !== "tessera");
    const fastest = peers.reduce((a, b) => (median(rps[b]) > median(rps[a]) ? b : a));
    const steadiest = peers.reduce((a, b) => (median(p99[b]) < median(p99[a]) ? b : a));
    const settings = `${load.connections} connections, ${load.amount ? `${load.amount} requests` : `${load.seconds} s`} a round`;
    note(`${rounds} rounds of ${settings}, the four servers taking turns; the faster peer by median requests/s: ${LABELS[fastest]}`);
    const rows = [
      compare(rps, {
        figure: 9,
        label: `requests/s, /account signed in: Tessera vs the faster peer (${LABELS[fastest]}), Tessera revoking at once`,
        a: side("tessera"),
        b: side(fastest),
        unit: "req/s",
        // Met only if Tessera also refused a revoked session's very next request.
        goal: stillAnswered.tessera === 0 ? { atLeast: 1.3 } : { atLeast: Infinity },
        interval: true,
      }),
      // More requests per second must not come with a worse tail than any peer's.
      compare(p99, {
        figure: 9,
        label: `p99 latency, /account signed in: Tessera vs the peer with the best tail (${LABELS[steadiest]})`,
        a: side("tessera"),
        b: side(steadiest),
        unit: "ms",
        goal: { atMost: 1 },
        interval: true,
      }),
    ];
    for (const name of peers) {
      rows.push(compare(rps, { figure: 9, label: `requests/s, /account signed in: Tessera vs ${LABELS[name]}`, a: side("tessera"), b: side(name), unit: "req/s", interval: true }));
    }
    for (const name of peers) {
      rows.push(compare(p99, { figure: 9, label: `p99 latency, /account signed in: Tessera vs ${LABELS[name]}`, a: side("tessera"), b: side(name), unit: "ms", interval: true }));
    }
    for (const name of names) {
      rows.push(
        resultRow({
          figure: 9,
          label: `revoked session, requests still answered 200 right after sign-out: ${LABELS[name]}`,
          a: { label: "answered", value: stillAnswered[name], unit: "requests" },
          b: { label: "sent", value: 3, unit: "requests" },
          ratio: stillAnswered[name] / 3,
          goal: name === "tessera" ? { exactly: 0 } : undefined,
        }),
      );
    }
    return rows;
  } finally {
    if (split) pinThisProcess(split.all);
    for (const server of Object.values(servers)) await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
