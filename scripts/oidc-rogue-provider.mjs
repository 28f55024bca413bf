// A small hand-written OpenID provider for the attack tests: honest until told otherwise. Discovery, JWKS, an
// authorization endpoint that signs in at once (no page: 302 back with code, state and iss), a token endpoint
// that checks the client, the code (single use, bound to its redirect URI) and the PKCE verifier (S256), and
// userinfo. Told to (`POST /__test/next` JSON, or control()), it answers what an attacker or a broken provider
// would: an ID token unsigned, signed with another key, for another audience or issuer, expired, with another
// nonce or none, or an auth_time from an hour ago whatever max_age asked; an authorization response without `iss`, with another's, or an error; a failing or slow token
// endpoint. `POST /__test/reset` makes it honest again.
// What it is told applies to every authorization request from then on, each code keeping what held when it was
// made. The server is shared by parallel tests: a test can instead add `test_next=<the same JSON>` to the one
// authorization request it sends itself, which wins over the server-wide setting for that code alone.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair } from "jose";
import { clientCredentials, guarded, listen, pkceMatches, readBody, redirect, redirectUriAllowed, sendJson, stopServer } from "./stub-http.mjs";

export const DEFAULT_USER = { sub: "rogue-subject-0001", email: "rogue.person@example.com", emailVerified: true, name: "Rogue Person" };
const KID = "rogue-key-1";
const OTHER_ISSUER = "https://issuer.attacker.example";
const CODE_TTL_MS = 60_000;
const HOUR = 3600;

const newToken = () => randomBytes(24).toString("base64url");
const epoch = () => Math.floor(Date.now() / 1000);

/** The ID token for a code, as `mode` spoils it (undefined: honest). */
async function idToken({ issuer, keys, grant, mode }) {
  const now = mode === "expired" ? epoch() - 2 * HOUR : epoch();
  const nonce = mode === "nonce-mismatch" ? newToken() : grant.nonce;
  const { sub, email, emailVerified, name } = grant.user;
  const claims = {
    email,
    email_verified: emailVerified,
    // When the person signed in here: at the authorization request, or an hour before it when told to be stale.
    auth_time: grant.authTime,
    ...(name ? { name } : {}),
    ...(nonce && mode !== "no-nonce" ? { nonce } : {}),
  };
  const jwt = (builder) =>
    builder
      .setIssuer(mode === "other-iss" ? OTHER_ISSUER : issuer)
      .setAudience(mode === "other-aud" ? "someone-else" : grant.clientId)
      .setSubject(sub)
      .setIssuedAt(now)
      .setExpirationTime(now + HOUR);
  if (mode === "alg-none") return jwt(new UnsecuredJWT(claims)).encode();
  // Another key under the published key's kid: a client that checks signatures finds the key and refuses.
  const key = mode === "other-key" ? keys.other.privateKey : keys.own.privateKey;
  return jwt(new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: KID, typ: "JWT" })).sign(key);
}

function discovery(issuer) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ["code"],
    grant_types_supported: ["authorization_code"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    scopes_supported: ["openid", "email", "profile"],
    claims_supported: ["sub", "email", "email_verified", "name"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    code_challenge_methods_supported: ["S256"],
    authorization_response_iss_parameter_supported: true,
  };
}

/**
 * Starts the provider on 127.0.0.1 (`port` 0, the default: any free one). `clients`: [{ client_id, client_secret,
 * redirect_uris }]. Resolves to { issuer, url, control(next), reset(), stop() }.
 */
export async function startRogueProvider({ port = 0, clients }) {
  const [own, other] = await Promise.all([generateKeyPair("RS256"), generateKeyPair("RS256")]);
  const keys = { own, other };
  const jwks = { keys: [{ ...(await exportJWK(keys.own.publicKey)), kid: KID, alg: "RS256", use: "sig" }] };
  const grants = new Map(); // code → what the authorization request asked, and what to answer
  const accessTokens = new Map(); // access token → user
  let next = {};

  const server = createServer(guarded((request, response) => handle(request, response)));
  const actualPort = await listen(server, port);
  const issuer = `http://localhost:${actualPort}`;

  function authorize(response, params) {
    const client = clients.find((candidate) => candidate.client_id === params.get("client_id"));
    const redirectUri = params.get("redirect_uri") ?? "";
    // Never redirect to an address the client did not register: an error page instead, as any provider does.
    if (!client || !redirectUriAllowed(client.redirect_uris, redirectUri)) {
      return sendJson(response, 400, { error: "invalid_request", error_description: "unknown client or redirect_uri" });
    }
    const wanted = { ...next, ...JSON.parse(params.get("test_next") ?? "{}") };
    const back = new URL(redirectUri);
    const answer = (values) => {
      for (const [key, value] of Object.entries(values)) if (value !== undefined) back.searchParams.set(key, value);
      redirect(response, back.href);
    };
    const iss = wanted.authorizationResponse === "no-iss" ? undefined : wanted.authorizationResponse === "other-iss" ? OTHER_ISSUER : issuer;
    const state = params.get("state") ?? undefined;
    if (wanted.authorizationResponse?.startsWith("error:")) return answer({ error: wanted.authorizationResponse.slice(6), state, iss });
    if (params.get("response_type") !== "code" || params.get("code_challenge_method") !== "S256" || !params.get("code_challenge")) {
      return answer({ error: "invalid_request", error_description: "code flow with PKCE (S256) only", state, iss });
    }
    const code = newToken();
    grants.set(code, {
      clientId: client.client_id,
      redirectUri,
      codeChallenge: params.get("code_challenge"),
      nonce: params.get("nonce") ?? undefined,
      scope: params.get("scope") ?? "openid",
      user: { ...DEFAULT_USER, ...wanted.user },
      authTime: epoch() - (wanted.authTime === "stale" ? HOUR : 0),
      wanted,
      expiresAt: Date.now() + CODE_TTL_MS,
    });
    answer({ code, state, iss });
  }

  async function token(request, response) {
    const body = await readBody(request);
    const credentials = clientCredentials(request, body);
    const client = clients.find((candidate) => candidate.client_id === credentials?.clientId);
    if (!client || client.client_secret !== credentials.clientSecret) {
      return sendJson(response, 401, { error: "invalid_client" }, { "www-authenticate": 'Basic realm="token"' });
    }
    // Taken out before anything else is checked or awaited: a code is spent by its first use, even a failed one.
    const grant = grants.get(body.code);
    grants.delete(body.code);
    const refuse = (description) => sendJson(response, 400, { error: "invalid_grant", error_description: description });
    if (body.grant_type !== "authorization_code") return sendJson(response, 400, { error: "unsupported_grant_type" });
    if (!grant || grant.expiresAt < Date.now() || grant.clientId !== client.client_id) return refuse("unknown, used or expired code");
    if (grant.redirectUri !== body.redirect_uri) return refuse("redirect_uri differs from the authorization request's");
    if (!pkceMatches(body.code_verifier, grant.codeChallenge)) return refuse("code_verifier does not match code_challenge");
    const { wanted } = grant;
    if (wanted.delayMs) await new Promise((resolve) => setTimeout(resolve, wanted.delayMs).unref());
    if (wanted.tokenStatus) return sendJson(response, wanted.tokenStatus, { error: "server_error" });
    const accessToken = newToken();
    accessTokens.set(accessToken, grant.user);
    sendJson(response, 200, {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: HOUR,
      scope: grant.scope,
      id_token: await idToken({ issuer, keys, grant, mode: wanted.idToken }),
    });
  }

  function userinfo(request, response) {
    const user = accessTokens.get((request.headers.authorization ?? "").replace(/^Bearer\s+/i, ""));
    if (!user) return sendJson(response, 401, { error: "invalid_token" }, { "www-authenticate": 'Bearer error="invalid_token"' });
    sendJson(response, 200, { sub: user.sub, email: user.email, email_verified: user.emailVerified, ...(user.name ? { name: user.name } : {}) });
  }

  async function handle(request, response) {
    const url = new URL(request.url ?? "/", issuer);
    const route = `${request.method} ${url.pathname}`;
    if (route === "GET /.well-known/openid-configuration") return sendJson(response, 200, discovery(issuer));
    if (route === "GET /jwks") return sendJson(response, 200, jwks);
    if (route === "GET /authorize") return authorize(response, url.searchParams);
    if (route === "POST /token") return token(request, response);
    if (route === "GET /userinfo" || route === "POST /userinfo") return userinfo(request, response);
    if (route === "POST /__test/next") {
      next = { ...next, ...(await readBody(request)) };
      return sendJson(response, 200, next);
    }
    if (route === "POST /__test/reset") {
      next = {};
      return sendJson(response, 200, next);
    }
    sendJson(response, 404, { error: "not_found" });
  }

  return {
    issuer,
    url: issuer,
    control: (wanted) => void (next = { ...next, ...wanted }),
    reset: () => void (next = {}),
    stop: () => stopServer(server),
  };
}
