import { afterEach, describe, expect, it } from "vitest";
import { PRERENDERED_HASHES_ENV, prerenderedPageFor } from "@/lib/http/prerendered-pages";

const HASH = `sha256-${"A".repeat(43)}=`;
const ROUTE = "/prerendered/home";

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
    ["a query string", request("/?utm_source=mail"), false],
    ["a post", request("/", { method: "POST" }), false],
    ["a router fetch", request("/", { headers: { "sec-fetch-dest": "empty" } }), false],
    ["another page", request("/sign-in"), false],
    ["an inherited property's name", request("/constructor"), false],
  ])("renders per request for %s", (_, given, hasSessionCookie) => {
    process.env[PRERENDERED_HASHES_ENV] = JSON.stringify({ [ROUTE]: [HASH] });
    expect(prerenderedPageFor(given, hasSessionCookie)).toBeNull();
  });
});
