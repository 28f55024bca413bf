import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NextConfig } from "next";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PRERENDERED_HASHES_ENV, PRERENDERED_PAGE_HEADER, PRERENDERED_ROUTES, prerenderedPageFor } from "@/lib/http/prerendered-pages";
import { PROVIDER_VARIABLES } from "../support/provider-settings";

const HASH = `sha256-${"A".repeat(43)}=`;
const ROUTE = "/prerendered/home";
const SIGN_IN_ROUTE = "/prerendered/sign-in";

function request(path: string, init: RequestInit = {}) {
  const url = new URL(path, "http://localhost");
  return Object.assign(new Request(url, init), { nextUrl: url });
}

describe("prerenderedPageFor", () => {
  afterEach(() => {
    delete process.env[PRERENDERED_HASHES_ENV];
  });

  it("serves the home page's prerendered route once start-up has found its hashes", () => {
    process.env[PRERENDERED_HASHES_ENV] = JSON.stringify({ [ROUTE]: [HASH] });
    expect(prerenderedPageFor(request("/"), false)).toEqual({ route: ROUTE, hashes: [HASH] });
    expect(prerenderedPageFor(request("/", { method: "HEAD" }), false)).not.toBeNull();
  });

  it.each([
    ["no hashes were found", undefined],
    ["the hashes cannot be read", "{not json"],
    ["the list is empty", JSON.stringify({ [ROUTE]: [] })],
    ["a hash is not a SHA-256 source", JSON.stringify({ [ROUTE]: [HASH, "unsafe-inline"] })],
    ["a hash would break out of its quotes", JSON.stringify({ [ROUTE]: [`${HASH}' 'unsafe-inline`] })],
    ["only another route has hashes", JSON.stringify({ "/account": [HASH] })],
  ])("renders per request when %s", (_, hashes) => {
    if (hashes !== undefined) process.env[PRERENDERED_HASHES_ENV] = hashes;
    expect(prerenderedPageFor(request("/"), false)).toBeNull();
  });

  it.each([
    ["a session cookie", request("/"), true],
    ["a return path", request("/sign-in?next=%2Fadmin"), false],
    ["a query string", request("/?utm_source=mail"), false],
    ["a post", request("/", { method: "POST" }), false],
    ["a router fetch", request("/", { headers: { "sec-fetch-dest": "empty" } }), false],
    ["another page", request("/sign-in/verify"), false],
    ["an inherited property's name", request("/constructor"), false],
    // The sign-in page, as every case above for the home page.
    ["a session cookie on the sign-in page", request("/sign-in"), true],
    ["a notice on the sign-in page", request("/sign-in?notice=signed-out"), false],
    ["a provider's answer on the sign-in page", request("/sign-in?provider=github"), false],
    ["a post to the sign-in page", request("/sign-in", { method: "POST" }), false],
    ["a router fetch of the sign-in page", request("/sign-in", { headers: { "sec-fetch-dest": "empty" } }), false],
    ["the sign-in page in capitals", request("/SIGN-IN"), false],
    ["the sign-in page with a trailing slash", request("/sign-in/"), false],
    ["the sign-in page's path encoded", request("/sign-%69n"), false],
  ])("renders per request for %s", (_, given, hasSessionCookie) => {
    process.env[PRERENDERED_HASHES_ENV] = JSON.stringify({ [ROUTE]: [HASH], [SIGN_IN_ROUTE]: [HASH] });
    expect(prerenderedPageFor(given, hasSessionCookie)).toBeNull();
  });

  it("serves the sign-in page's route only when start-up found hashes for it", () => {
    process.env[PRERENDERED_HASHES_ENV] = JSON.stringify({ [ROUTE]: [HASH] });
    expect(prerenderedPageFor(request("/sign-in"), false)).toBeNull();
    process.env[PRERENDERED_HASHES_ENV] = JSON.stringify({ [ROUTE]: [HASH], [SIGN_IN_ROUTE]: [HASH] });
    expect(prerenderedPageFor(request("/sign-in"), false)).toEqual({ route: SIGN_IN_ROUTE, hashes: [HASH] });
  });
});

describe("next.config.mjs's rewrites", () => {
  it("rewrite exactly the prerendered paths, each to its route, and only when middleware asked for that route", async () => {
    // Imported by its address: the project's TypeScript does not read the JavaScript config's types.
    const config = (await import(/* @vite-ignore */ new URL("../../next.config.mjs", import.meta.url).href)) as { default: (phase: string) => NextConfig };
    const rewrites = (await config.default("phase-production-server").rewrites!()) as { beforeFiles: unknown[] };
    expect(rewrites.beforeFiles).toEqual(
      Object.entries(PRERENDERED_ROUTES).map(([source, route]) => ({
        source,
        has: [{ type: "header", key: PRERENDERED_PAGE_HEADER, value: `^${route}$` }],
        destination: route,
      })),
    );
  });
});

describe("prerenderedScriptHashes", () => {
  const builds: string[] = [];
  /** A build folder holding both pages' HTML, each with one inline script. */
  function buildWithPages(): string {
    const dir = mkdtempSync(join(tmpdir(), "tessera-build-"));
    builds.push(dir);
    mkdirSync(join(dir, "server", "app", "prerendered"), { recursive: true });
    for (const route of Object.values(PRERENDERED_ROUTES)) {
      writeFileSync(join(dir, "server", "app", `${route}.html`), `<html><script>self.page="${route}"</script><script src="/x.js"></script></html>`);
    }
    return dir;
  }

  /** The module as a server started with these provider settings reads them (they are read once per process). */
  async function serverWith(env: Record<string, string | undefined>) {
    vi.resetModules();
    for (const name of PROVIDER_VARIABLES) vi.stubEnv(name, env[name]);
    return import("@/lib/http/prerendered-pages.server");
  }

  afterEach(() => {
    vi.unstubAllEnvs();
    for (const dir of builds.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("finds every prerendered page's inline scripts on a server with no sign-in providers", async () => {
    const { prerenderedScriptHashes, inlineScriptHashes } = await serverWith({});
    const hashes = prerenderedScriptHashes(buildWithPages());
    expect(Object.keys(hashes).sort()).toEqual([ROUTE, SIGN_IN_ROUTE].sort());
    expect(hashes[SIGN_IN_ROUTE]).toEqual(inlineScriptHashes(`<script>self.page="${SIGN_IN_ROUTE}"</script>`));
    expect(hashes[SIGN_IN_ROUTE]).toHaveLength(1);
  });

  it("leaves the sign-in page out on a server with a provider, whose button the build did not render", async () => {
    const { prerenderedScriptHashes } = await serverWith({ GITHUB_CLIENT_ID: "client", GITHUB_CLIENT_SECRET: "secret" });
    expect(Object.keys(prerenderedScriptHashes(buildWithPages()))).toEqual([ROUTE]);
  });
});
