// What the test identity providers (scripts/oidc-test-provider.mjs, oidc-rogue-provider.mjs, github-stub.mjs) share:
// listening on 127.0.0.1, reading a form or JSON body, answering HTML or JSON, the loopback redirect rule, and the
// client side of a token request (its credentials, its PKCE verifier).
import { createHash, timingSafeEqual } from "node:crypto";

/** Listens on 127.0.0.1 (`port` 0: any free one); resolves to the port. Never what keeps a process alive. */
export function listen(server, port = 0) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      server.unref();
      resolve(server.address().port);
    });
  });
}

/** Closes the port and cuts open connections (browsers keep them alive); resolves once closed. */
export function stopServer(server) {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

const BODY_LIMIT = 64 * 1024;

/** The request's body as an object of strings: JSON or a form, whichever its content type says; {} otherwise. */
export async function readBody(request) {
  let text = "";
  for await (const chunk of request) {
    text += chunk;
    if (text.length > BODY_LIMIT) throw new Error("request body too large");
  }
  const type = request.headers["content-type"] ?? "";
  if (type.startsWith("application/json")) return text ? JSON.parse(text) : {};
  if (type.startsWith("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  return {};
}

export function sendJson(response, status, body, headers = {}) {
  response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers }).end(JSON.stringify(body));
}

export function redirect(response, location, status = 302) {
  response.writeHead(status, { location, "cache-control": "no-store" }).end();
}

export function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A whole page around `body` (already HTML). */
export function sendHtml(response, status, title, body) {
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
  response.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(page);
}

/** Whether `uri` is a registered redirect URI, or one on localhost differing only in port (see below). */
export function redirectUriAllowed(registered, uri) {
  if (registered.includes(uri)) return true;
  // A test-only relaxation, the loopback rule of RFC 8252 (7.3): servers the stories start (e2e/support/
  // extra-server.ts) each run on a port of their own, and none of them can be registered in advance.
  const withoutPort = (value) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (url?.protocol !== "http:" || !["localhost", "127.0.0.1"].includes(url.hostname)) return undefined;
    url.port = "";
    return url.href;
  };
  const stripped = withoutPort(uri);
  return stripped !== undefined && registered.some((allowed) => withoutPort(allowed) === stripped);
}

/** A handler that answers 500 rather than leaving the request hanging when `handle` throws. */
export function guarded(handle) {
  return (request, response) =>
    handle(request, response).catch((error) => {
      console.error(error);
      if (!response.headersSent) sendJson(response, 500, { error: "server_error", error_description: String(error?.message ?? error) });
      else response.end();
    });
}

/**
 * The client's id and secret, from HTTP Basic (client_secret_basic: each part form-encoded, RFC 6749 2.3.1) or the
 * body (client_secret_post); undefined when the request carries neither.
 */
export function clientCredentials(request, body) {
  const header = request.headers.authorization ?? "";
  if (header.toLowerCase().startsWith("basic ")) {
    const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return undefined;
    const part = (value) => decodeURIComponent(value.replace(/\+/g, " "));
    return { clientId: part(decoded.slice(0, colon)), clientSecret: part(decoded.slice(colon + 1)) };
  }
  if (typeof body.client_id === "string" && typeof body.client_secret === "string") {
    return { clientId: body.client_id, clientSecret: body.client_secret };
  }
  return undefined;
}

/** Whether `verifier` is the one behind an S256 `challenge` (RFC 7636 4.6). */
export function pkceMatches(verifier, challenge) {
  if (typeof verifier !== "string" || typeof challenge !== "string") return false;
  const expected = Buffer.from(createHash("sha256").update(verifier).digest("base64url"));
  const given = Buffer.from(challenge);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
