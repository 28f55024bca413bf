// A separate API server that trusts Tessera's access tokens: plain Node HTTP, no Next.js, no shared secret. It
// verifies a Bearer token's signature against the app's JWKS (jose's createRemoteJWKSet, which caches the key set)
// and checks iss, aud (its own), typ, exp. A route that must not serve an ended session also asks the app's
// introspection endpoint (RFC 7662), with a short cache. README.md beside this file explains the difference.
//
//   AUTH_SERVER_URL=http://localhost:3000 AUDIENCE=https://orders.example.com CLIENT_SECRET=… node server.mjs
import { createServer } from "node:http";
import { createVerifier } from "./verify.mjs";

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`Set ${name}.`);
  return value;
};
const authServer = env("AUTH_SERVER_URL").replace(/\/+$/, "");
const audience = env("AUDIENCE");
const clientSecret = env("CLIENT_SECRET", "");
const jwksCacheSeconds = Number(env("JWKS_CACHE_SECONDS", "600"));
const introspectionCacheSeconds = Number(env("INTROSPECTION_CACHE_SECONDS", "5"));

// Discovery (RFC 8414): the issuer to expect and where its keys and introspection endpoint are.
const metadata = await (await fetch(`${authServer}/.well-known/oauth-authorization-server`)).json();

// Counted so a test (or you) can see the JWKS is fetched once per cache period, not once per request.
const stats = { jwksFetches: 0, introspections: 0 };
const verifyToken = createVerifier({
  jwksUri: metadata.jwks_uri,
  issuer: metadata.issuer,
  audience,
  jwksCacheSeconds,
  onFetch: () => (stats.jwksFetches += 1),
});

class Unauthorized extends Error {}

/** The token of `Authorization: Bearer <token>` (the scheme in any case), or an Unauthorized. */
function bearerToken(request) {
  const match = request.headers.authorization?.match(/^Bearer ([A-Za-z0-9_.-]+)$/i);
  if (!match) throw new Unauthorized("Send an access token as Authorization: Bearer <token>.");
  return match[1];
}

/** Signature and claims (verify.mjs), offline once the key set is cached. */
async function verify(token) {
  try {
    return await verifyToken(token);
  } catch (error) {
    throw new Unauthorized(`The access token is not valid (${error.code ?? error.name}).`);
  }
}

const introspected = new Map();

/** Asks the app whether the token's session is still alive; answers are kept INTROSPECTION_CACHE_SECONDS. */
async function introspect(token) {
  const cached = introspected.get(token);
  if (cached && cached.until > Date.now()) return cached.answer;
  stats.introspections += 1;
  const response = await fetch(metadata.introspection_endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(audience)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`,
    },
    body: new URLSearchParams({ token, token_type_hint: "access_token" }),
  });
  if (!response.ok) throw new Error(`introspection failed: ${response.status}`);
  const answer = await response.json();
  if (introspectionCacheSeconds > 0) {
    introspected.set(token, { answer, until: Date.now() + introspectionCacheSeconds * 1000 });
    if (introspected.size > 10_000) introspected.delete(introspected.keys().next().value);
  }
  return answer;
}

const routes = {
  // Signature only: fast, offline, and valid until the token expires, even after its session has ended.
  "GET /whoami": async (request) => {
    const claims = await verify(bearerToken(request));
    return { sub: claims.sub, sid: claims.sid, check: "signature" };
  },
  // Signature, then the app: refused as soon as the session ends.
  "GET /payouts": async (request) => {
    const token = bearerToken(request);
    const claims = await verify(token);
    const answer = await introspect(token);
    if (answer.active !== true || answer.sub !== claims.sub) throw new Unauthorized("The session has ended.");
    return { sub: claims.sub, sid: claims.sid, check: "introspection" };
  },
  "GET /stats": async () => stats,
};

function send(response, status, body, headers = {}) {
  response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  response.end(JSON.stringify(body));
}

const server = createServer(async (request, response) => {
  const route = routes[`${request.method} ${new URL(request.url, "http://x").pathname}`];
  if (!route) return send(response, 404, { error: "not_found" });
  try {
    send(response, 200, await route(request));
  } catch (error) {
    if (!(error instanceof Unauthorized)) {
      console.error(error);
      return send(response, 502, { error: "upstream_error" });
    }
    send(response, 401, { error: "invalid_token", error_description: error.message }, {
      "www-authenticate": `Bearer error="invalid_token"`,
    });
  }
});

server.listen(Number(env("PORT", "4000")), "127.0.0.1", () => {
  // The first line says where it listens: with PORT=0 the system picks a free port, and tests read it from here.
  console.log(`resource server listening on http://127.0.0.1:${server.address().port}`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
