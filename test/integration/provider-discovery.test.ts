// A misconfigured provider: the generic one's issuer on a port nothing listens on, Google's a server answering
// garbage for its discovery document. At start each is named in one log line, its button is not shown and starting
// it answers "could not be reached", while GitHub works; a minute later Google, answering properly now, is back.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { checkProviders, usableProviders } from "@/lib/providers/clients.server";
import { ContinueWithProviders } from "@/app/_components/continue-with-providers";
import { newBrowser, start } from "../support/provider-flow";

vi.mock("next/headers", async () => (await import("../support/browsers")).nextHeaders);

let garbage: Server;
let honest = false;

/** A port that was free a moment ago, and so has nothing listening on it. */
async function deadPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  garbage = createServer((request, response) => {
    const issuer = `http://localhost:${(garbage.address() as AddressInfo).port}`;
    if (!honest) return void response.writeHead(200, { "content-type": "text/html" }).end("<html>not a discovery document</html>");
    const document = { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks` };
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(document));
  }).listen(0, "127.0.0.1");
  await new Promise((resolve) => garbage.once("listening", resolve));
  vi.stubEnv("OIDC_ISSUER", `http://localhost:${await deadPort()}`);
  vi.stubEnv("GOOGLE_ISSUER", `http://localhost:${(garbage.address() as AddressInfo).port}`);
});

afterAll(() => {
  vi.useRealTimers();
  garbage.close();
});

const unavailableLines = (log: { mock: { calls: unknown[][] } }, provider: string) =>
  log.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('"event":"provider.unavailable"') && line.includes(`"provider":"${provider}"`));

describe("a provider whose discovery fails", () => {
  it("is named once in the log, its button hidden and its start refused, while the others work; it comes back", async () => {
    const log = vi.spyOn(console, "log");
    await checkProviders();
    // Pages ask again and again within the minute: no more lines, no more discovery.
    for (let i = 0; i < 3; i++) await usableProviders();
    expect(unavailableLines(log, "oidc")).toHaveLength(1);
    expect(unavailableLines(log, "google")).toHaveLength(1);
    expect((await usableProviders()).map((settings) => settings.id)).toEqual(["github"]);

    const buttons = renderToStaticMarkup(await ContinueWithProviders({}));
    expect(buttons).toContain("Continue with GitHub");
    expect(buttons).not.toContain("Continue with Google");
    expect(buttons).not.toContain("Continue with Acme SSO");
    const browser = newBrowser();
    const { response, html, sealed } = await start(browser, "oidc");
    expect(response.status).toBe(200);
    expect(html).toContain("could not be reached");
    expect(sealed).toBeUndefined();

    // A minute later, discovery is tried again: Google answers properly now and its button is back.
    honest = true;
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61_000);
    await usableProviders();
    expect((await usableProviders()).map((settings) => settings.id)).toEqual(["google", "github"]);
    expect(unavailableLines(log, "oidc")).toHaveLength(2);
    log.mockRestore();
  });
});
