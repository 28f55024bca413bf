// The example resource server (examples/resource-server/server.mjs), started for a test on a free port against an
// app server, as the audience of one of the resource servers scripts/e2e.mjs configures.
import { spawn } from "node:child_process";
import { expect } from "@playwright/test";
import { readAccessTokenConfig } from "../../lib/config";
import { baseURL } from "./server";

export const ORDERS = "https://orders.example.test";
export const BILLING = "https://billing.example.test";

/** The introspection secret the app holds for a resource server (scripts/e2e.mjs makes them). */
export function secretOf(audience: string): string {
  const secret = readAccessTokenConfig(process.env).introspectionClients.get(audience);
  if (!secret) throw new Error(`No introspection secret for ${audience}: run through scripts/e2e.mjs.`);
  return secret;
}

export interface ResourceServer {
  url: string;
  /** Its own counters: JWKS fetches and introspection calls since it started. */
  stats: () => Promise<{ jwksFetches: number; introspections: number }>;
  stop: () => Promise<void>;
}

export interface ResourceServerOptions {
  audience?: string;
  jwksCacheSeconds?: number;
  introspectionCacheSeconds?: number;
}

/** Starts the example against `authServer` and waits for the line that says where it listens. */
export function startResourceServer(authServer: string, options: ResourceServerOptions = {}): Promise<ResourceServer> {
  const { audience = ORDERS, jwksCacheSeconds = 600, introspectionCacheSeconds = 0 } = options;
  const child = spawn(process.execPath, ["examples/resource-server/server.mjs"], {
    env: {
      ...process.env,
      PORT: "0",
      AUTH_SERVER_URL: authServer,
      AUDIENCE: audience,
      CLIENT_SECRET: secretOf(audience),
      JWKS_CACHE_SECONDS: String(jwksCacheSeconds),
      INTROSPECTION_CACHE_SECONDS: String(introspectionCacheSeconds),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    child.stderr.on("data", (chunk) => (output += chunk));
    child.once("exit", (code) => reject(new Error(`resource server exited (${code}):\n${output}`)));
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const url = output.match(/listening on (http:\/\/\S+)/)?.[1];
      if (!url) return;
      child.removeAllListeners("exit");
      resolve({
        url,
        stats: async () => (await fetch(`${url}/stats`)).json(),
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

/** POST /api/auth/token for a person, with the token meant for `resource` (RFC 8707). */
export async function tokensFor(email: string, password: string, resource?: string, server = baseURL) {
  const response = await fetch(`${server}/api/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password, ...(resource ? { resource } : {}) }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { access_token: string; refresh_token: string; expires_in: number };
}

/** HTTP Basic client credentials, each part form-encoded first (RFC 6749 2.3.1). */
export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

/** POST /api/auth/introspect (RFC 7662), form-encoded unless `json`. */
export function introspect(token: string, init: { authorization?: string; body?: Record<string, string>; json?: boolean } = {}) {
  const fields = { token, ...init.body };
  return fetch(`${baseURL}/api/auth/introspect`, {
    method: "POST",
    headers: {
      "content-type": init.json ? "application/json" : "application/x-www-form-urlencoded",
      ...(init.authorization ? { authorization: init.authorization } : {}),
    },
    body: init.json ? JSON.stringify(fields) : new URLSearchParams(fields),
  });
}
