// A local stand-in for GitHub's OAuth web flow and the two API calls a sign-in needs, answering as GitHub's
// documentation says ("Authorizing OAuth apps", REST "Users" and "Emails"):
//   GET  /login/oauth/authorize      a "Sign in to GitHub" page ("Username or email address", "Password",
//                                    "Sign in", "Cancel"); then a redirect with code and state, or
//                                    error=access_denied. PKCE (S256) when the client sends a challenge.
//   POST /login/oauth/access_token   JSON with `Accept: application/json`, else form-encoded; a bad code is
//                                    HTTP 200 with {"error":"bad_verification_code"}, as GitHub answers.
//   GET  /api/v3/user, /api/v3/user/emails   with `Authorization: Bearer|token <token>`.
// Users are added at runtime: addUser(), or `POST /__test/users` JSON from another process (the stories).
// scripts/e2e.mjs and test/support/global-setup.ts run one (GITHUB_URL, GITHUB_API_URL).
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import {
  clientCredentials,
  escapeHtml,
  guarded,
  listen,
  pkceMatches,
  readBody,
  redirect,
  redirectUriAllowed,
  sendHtml,
  sendJson,
  stopServer,
} from "./stub-http.mjs";

const API = "/api/v3";
const CODE_TTL_MS = 10 * 60_000;
const DOCS = "https://docs.github.com/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors";

const hex = (bytes) => randomBytes(bytes).toString("hex");

function signInPage(response, { id, login = "", wrong = false }) {
  sendHtml(
    response,
    wrong ? 401 : 200,
    "Sign in to GitHub",
    `<h1>Sign in to GitHub</h1>
${wrong ? '<p role="alert">Incorrect username or password.</p>' : ""}
<form method="post" action="/session">
  <input type="hidden" name="authorization" value="${escapeHtml(id)}">
  <p><label>Username or email address <input name="login" autocomplete="username" value="${escapeHtml(login)}" required></label></p>
  <p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
  <p><button type="submit">Sign in</button></p>
</form>
<form method="post" action="/session/cancel">
  <input type="hidden" name="authorization" value="${escapeHtml(id)}">
  <button type="submit">Cancel</button>
</form>`,
  );
}

/** GitHub's token answer: JSON when asked for, form-encoded otherwise; errors too, with HTTP 200. */
function tokenAnswer(request, response, body) {
  if ((request.headers.accept ?? "").includes("application/json")) return sendJson(response, 200, body);
  response.writeHead(200, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }).end(new URLSearchParams(body).toString());
}

/** The public shape of GET /user: the email is the public one, else null (most people keep theirs private). */
function userJson(user, url) {
  const publicEmail = user.emails.find((entry) => entry.visibility === "public")?.email ?? null;
  return {
    login: user.login,
    id: user.id,
    node_id: Buffer.from(`04:User${user.id}`).toString("base64"),
    avatar_url: `${url}/avatars/${user.id}`,
    html_url: `${url}/${user.login}`,
    type: "User",
    site_admin: false,
    name: user.name ?? null,
    email: publicEmail,
  };
}

/**
 * Starts the stub on 127.0.0.1 (`port` 0, the default: any free one). `clients`: [{ client_id, client_secret,
 * redirect_uris }] (an OAuth app's callback URL). Resolves to { url, apiUrl, addUser(user), stop() }.
 */
export async function startGitHubStub({ port = 0, clients }) {
  const users = new Map(); // login (lower case) → user
  const pending = new Map(); // authorization id → the authorize request, while its page is open
  const codes = new Map(); // code → { clientId, redirectUri, codeChallenge, scope, user, expiresAt }
  const tokens = new Map(); // access token → { user, scope }
  let nextId = 1_000_000 + Math.floor(Math.random() * 1_000_000);

  const addUser = ({ login, password, id, name, emails = [] }) => {
    if (typeof login !== "string" || typeof password !== "string") throw new TypeError("a user needs a login and a password");
    const user = {
      login,
      password,
      id: id ?? users.get(login.toLowerCase())?.id ?? nextId++,
      name,
      emails: emails.map(({ email, primary = false, verified = true, visibility = primary ? "private" : null }) => ({ email, primary, verified, visibility })),
    };
    users.set(login.toLowerCase(), user);
    return structuredClone(user);
  };
  // GitHub takes the login or any of the account's emails.
  const findUser = (login) =>
    users.get(login.toLowerCase()) ?? [...users.values()].find((user) => user.emails.some((entry) => entry.email.toLowerCase() === login.toLowerCase()));

  const server = createServer(guarded((request, response) => handle(request, response)));
  const actualPort = await listen(server, port);
  const url = `http://localhost:${actualPort}`;

  function authorize(response, params) {
    const client = clients.find((candidate) => candidate.client_id === params.get("client_id"));
    if (!client) return sendHtml(response, 404, "Not Found", "<h1>404</h1><p>This OAuth app does not exist.</p>");
    // No redirect_uri: the app's callback URL, as GitHub does.
    const redirectUri = params.get("redirect_uri") ?? client.redirect_uris[0];
    if (!redirectUriAllowed(client.redirect_uris, redirectUri)) {
      return sendHtml(response, 400, "Redirect URI mismatch", "<h1>The redirect_uri is not associated with this application.</h1>");
    }
    const codeChallenge = params.get("code_challenge") ?? undefined;
    if (codeChallenge && params.get("code_challenge_method") !== "S256") {
      return sendHtml(response, 400, "Bad request", "<h1>code_challenge_method must be S256.</h1>");
    }
    const id = hex(16);
    pending.set(id, { clientId: client.client_id, redirectUri, state: params.get("state") ?? undefined, scope: params.get("scope") ?? "", codeChallenge });
    signInPage(response, { id, login: params.get("login") ?? "" });
  }

  function back(response, authorization, values) {
    const target = new URL(authorization.redirectUri);
    for (const [key, value] of Object.entries({ ...values, state: authorization.state })) if (value !== undefined) target.searchParams.set(key, value);
    redirect(response, target.href);
  }

  async function signIn(request, response, { cancel }) {
    const body = await readBody(request);
    const authorization = pending.get(body.authorization);
    if (!authorization) return sendHtml(response, 400, "Expired", "<h1>This sign-in expired. Go back and start again.</h1>");
    if (cancel) {
      pending.delete(body.authorization);
      return back(response, authorization, {
        error: "access_denied",
        error_description: "The user has denied your application access.",
        error_uri: "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied",
      });
    }
    const user = findUser(body.login ?? "");
    if (!user || user.password !== body.password) return signInPage(response, { id: body.authorization, login: body.login, wrong: true });
    pending.delete(body.authorization);
    const code = hex(10);
    codes.set(code, { ...authorization, user, expiresAt: Date.now() + CODE_TTL_MS });
    back(response, authorization, { code });
  }

  async function accessToken(request, response) {
    const body = await readBody(request);
    const credentials = clientCredentials(request, body);
    const client = clients.find((candidate) => candidate.client_id === credentials?.clientId);
    if (!client || client.client_secret !== credentials.clientSecret) {
      return tokenAnswer(request, response, {
        error: "incorrect_client_credentials",
        error_description: "The client_id and/or client_secret passed are incorrect.",
        error_uri: `${DOCS}#incorrect-client-credentials`,
      });
    }
    // Spent by its first use, even a failed one.
    const grant = codes.get(body.code);
    codes.delete(body.code);
    const badCode = { error: "bad_verification_code", error_description: "The code passed is incorrect or expired.", error_uri: `${DOCS}#bad-verification-code` };
    if (!grant || grant.expiresAt < Date.now() || grant.clientId !== client.client_id) return tokenAnswer(request, response, badCode);
    if (body.redirect_uri !== undefined && body.redirect_uri !== grant.redirectUri) {
      return tokenAnswer(request, response, {
        error: "redirect_uri_mismatch",
        error_description: "The redirect_uri MUST match the registered callback URL for this application.",
        error_uri: `${DOCS}#redirect-uri-mismatch`,
      });
    }
    if (grant.codeChallenge && !pkceMatches(body.code_verifier, grant.codeChallenge)) return tokenAnswer(request, response, badCode);
    const token = `gho_${hex(18)}`;
    // GitHub lists the granted scopes comma-separated.
    const scope = grant.scope.split(/[\s,]+/).filter(Boolean).join(",");
    tokens.set(token, { user: grant.user, scope });
    tokenAnswer(request, response, { access_token: token, token_type: "bearer", scope });
  }

  function api(request, response, path) {
    const [, token] = /^(?:bearer|token)\s+(\S+)$/i.exec(request.headers.authorization ?? "") ?? [];
    const grant = tokens.get(token);
    if (!grant) return sendJson(response, 401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
    const headers = { "x-oauth-scopes": grant.scope.replace(/,/g, ", ") };
    if (path === "/user") return sendJson(response, 200, userJson(grant.user, url), headers);
    if (path === "/user/emails") {
      // Without user:email (or user) the token may not read them: GitHub answers as if there were nothing.
      const scopes = grant.scope.split(",");
      if (!scopes.includes("user:email") && !scopes.includes("user")) {
        return sendJson(response, 404, { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" }, headers);
      }
      return sendJson(response, 200, grant.user.emails, headers);
    }
    sendJson(response, 404, { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
  }

  async function handle(request, response) {
    const { pathname, searchParams } = new URL(request.url ?? "/", url);
    const route = `${request.method} ${pathname}`;
    if (route === "GET /login/oauth/authorize") return authorize(response, searchParams);
    if (route === "POST /session") return signIn(request, response, { cancel: false });
    if (route === "POST /session/cancel") return signIn(request, response, { cancel: true });
    if (route === "POST /login/oauth/access_token") return accessToken(request, response);
    if (request.method === "GET" && pathname.startsWith(`${API}/`)) return api(request, response, pathname.slice(API.length));
    if (route === "POST /__test/users") return sendJson(response, 201, addUser(await readBody(request)));
    sendJson(response, 404, { message: "Not Found" });
  }

  return { url, apiUrl: `${url}${API}`, addUser, stop: () => stopServer(server) };
}
