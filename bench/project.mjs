// The project's own TypeScript (lib/), for benchmarks that plain `node` runs. Node 20 cannot load .ts, so this
// bundles the few modules the figures need with esbuild, exactly as written, into one ES module and imports it.
// Packages (jose, @node-rs/argon2) stay outside the bundle and load from node_modules: the same copies the app
// runs. The bundle goes under node_modules/.cache, where its imports of packages resolve and git never looks.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { root } from "../scripts/lib.mjs";

const ENTRY = `
export * from "./lib/tokens/jwt";
export { randomId } from "./lib/ids";
export * from "./lib/tokens/verified-token-cache";
export { withLowS } from "./lib/tokens/ecdsa-signatures.server";
export { readSessionConfig, readPasswordPolicy } from "./lib/config";
export { sessionCookieAttributes } from "./lib/sessions/cookie";
export { PASSWORD_HASH_OPTIONS } from "./lib/passwords/hashing.server";
`;

// lib/*.server.ts import "server-only", whose real module throws outside React's server environment (as in
// Vitest, which maps it to test/support/server-only.ts); here it is simply empty.
const serverOnlyIsEmpty = {
  name: "server-only-is-empty",
  setup(build) {
    build.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
    build.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "" }));
  },
};

// The data access layer's session functions (lib/sessions/store.server.ts) exactly as written, with one change of
// wiring: the app's one database client and its direct reader (lib/db/db.server.ts, made from DATABASE_URL at import)
// become bindings the bench sets, useDatabase(client, reader), so that one process can put SQLite and PostgreSQL side
// by side.
const DATA_LAYER_ENTRY = `
export * from "./lib/sessions/store.server";
export { createDatabaseClient } from "./lib/db/client.server";
export { createDirectReader } from "./lib/db/direct-reads.server";
export { useDatabase } from "./lib/db/db.server";
`;

const swappableDatabase = {
  name: "swappable-database",
  setup(build) {
    build.onResolve({ filter: /(^|\/)db\.server$/ }, () => ({ path: "db.server", namespace: "bench-db" }));
    build.onLoad({ filter: /.*/, namespace: "bench-db" }, () => ({
      contents: `
        export let db;
        export let directReader = null;
        export function useDatabase(client, reader = null) { db = client; directReader = reader; }
        export class DatabaseUnavailableError extends Error {}
        // Imported by the sessions store for sign-ins, which the data-layer figures never open.
        export function holdUserRow() { throw new Error("holdUserRow is not in the benchmark's data layer"); }
      `,
    }));
  },
};

async function bundle(name, contents, plugins) {
  const outdir = join(root, "node_modules", ".cache", "tessera-bench");
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, `${name}-${process.pid}.mjs`);
  await build({
    stdin: { contents, resolveDir: root, loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    plugins,
    outfile,
    logLevel: "error",
  });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(outfile, { force: true }); // loaded: the file has done its job
  }
}

// Next.js's subpath modules (next/headers) are files without an "exports" map: Node's ESM loader needs their
// extension. Nothing the bench calls reaches them; they are only imported along the way.
const nextSubpathsWithExtension = {
  name: "next-subpaths-with-extension",
  setup(build) {
    build.onResolve({ filter: /^next\/[a-z-]+$/ }, (args) => ({ path: `${args.path}.js`, external: true }));
  },
};

// A sign-in's database work, piece by piece, on the app's own database client (made from DATABASE_URL at import):
// for bench/sign-in-statements.mjs.
const SIGN_IN_PARTS_ENTRY = `
export { countAttempt, settleAttempts, throttleKey } from "./lib/limits/throttle.server";
export { hasTotp } from "./lib/factors/totp.server";
export { createSession, openSession } from "./lib/sessions/store.server";
export { notePasswordIfBreached } from "./lib/users/breach-notice.server";
export { createUser } from "./lib/users/store.server";
export { verifyPassword } from "./lib/passwords/hashing.server";
export { signIn } from "./lib/sign-in/sign-in.server";
export { db } from "./lib/db/db.server";
`;

let loaded;
let dataLayer;

/** The project's modules named in ENTRY, bundled once per process. */
export function loadProject() {
  loaded ??= bundle("project", ENTRY, [serverOnlyIsEmpty]);
  return loaded;
}

/** lib/sessions/store.server.ts, createDatabaseClient, createDirectReader and useDatabase(client, reader), bundled once per process. */
export function loadDataLayer() {
  dataLayer ??= bundle("data-layer", DATA_LAYER_ENTRY, [serverOnlyIsEmpty, swappableDatabase]);
  return dataLayer;
}

/** SIGN_IN_PARTS_ENTRY's functions, bundled; set DATABASE_URL (and SESSION_SECRET) first. */
export function loadSignInParts() {
  return bundle("sign-in-parts", SIGN_IN_PARTS_ENTRY, [serverOnlyIsEmpty, nextSubpathsWithExtension]);
}

/** A session configuration with the defaults and a fresh random secret. */
export function benchSessionConfig(project, env = {}) {
  const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
  return project.readSessionConfig({ SESSION_SECRET: secret, ...env });
}

/** Who the default token speaks for: an ordinary user whose session began now, with ids made as the app makes them. */
export function defaultSubject(project) {
  return { userId: project.randomId(), sessionId: project.randomId(), role: "user", authTime: new Date() };
}
