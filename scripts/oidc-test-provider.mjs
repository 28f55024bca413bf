// A real OpenID provider for the tests and for trying Tessera locally: node-oidc-provider (the `oidc-provider`
// package, certified by the OpenID Foundation) on 127.0.0.1, issuer http://localhost:PORT, with its own plain HTML
// login page a story can drive ("Email", "Password", "Sign in", "Cancel") and consent granted automatically.
// Authorization code with PKCE (S256) only; scopes openid, email, profile; claims email, email_verified, name, all
// in the ID token too; `iss` in every authorization response (RFC 9207); prompt=login and max_age honoured.
// Users are added at runtime: addUser(), or `POST /__test/users` JSON from another process (the stories).
// scripts/e2e.mjs and test/support/global-setup.ts run one; `node scripts/oidc-test-provider.mjs` starts one to try.
import { generateKeyPair, randomBytes, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import Provider, { errors, interactionPolicy } from "oidc-provider";
// Named, the in-memory store stops the package warning about it at every start: memory is what a test server wants.
import { createMemoryAdapter } from "oidc-provider/lib/adapters/memory_adapter.js";
import { escapeHtml, guarded, listen, readBody, sendHtml, sendJson, stopServer } from "./stub-http.mjs";

export const DEFAULT_NAME = "Tessera test provider";

// Every client here is the app under test, first party: consent is never asked (loadExistingGrant grants it), not
// even of a native client, which oidc-provider otherwise asks every time.
function policy() {
  const prompts = interactionPolicy.base();
  prompts.get("consent").checks.remove("native_client_prompt");
  return prompts;
}

function configuration({ clients, findUser, signingKey }) {
  return {
    adapter: createMemoryAdapter(),
    // Lifetimes named, as the package asks at every use otherwise: an hour; an unfinished sign-in, ten minutes.
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 3600, IdToken: 3600 },
    clients: clients.map(({ client_id, client_secret, redirect_uris }) => ({
      client_id,
      client_secret,
      redirect_uris,
      // Test-only: a native client may come back to its localhost redirect URI on any port (RFC 8252, 7.3), and
      // servers the stories start (e2e/support/extra-server.ts) each have a port of their own.
      application_type: "native",
      grant_types: ["authorization_code"],
      response_types: ["code"],
      // client_secret_post is accepted too: oidc-provider takes either for a client with a secret.
      token_endpoint_auth_method: "client_secret_basic",
    })),
    pkce: { required: () => true },
    scopes: ["openid", "email", "profile"],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // Google puts the email in the ID token; so does this provider, so that a client need not call userinfo.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}`, policy: policy() },
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
    findAccount(_ctx, sub) {
      const user = findUser(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: () => ({ sub, email: user.email, email_verified: user.emailVerified, name: user.name }) };
    },
    jwks: { keys: [{ ...signingKey.export({ format: "jwk" }), use: "sig" }] },
    cookies: {
      keys: [randomBytes(32).toString("base64url")],
      // Cookies ignore ports: these must not meet the app's, or another provider's, on the same localhost.
      names: { session: "oidc_test_session", interaction: "oidc_test_interaction", resume: "oidc_test_resume" },
    },
    renderError(ctx, out) {
      ctx.type = "html";
      ctx.body = `<!doctype html><title>Error</title><h1>Error</h1><p>${escapeHtml(out.error)}: ${escapeHtml(out.error_description ?? "")}</p>`;
    },
  };
}

function loginPage(response, { uid, name, email = "", wrong = false }) {
  const status = wrong ? 401 : 200;
  sendHtml(
    response,
    status,
    `Sign in to ${name}`,
    `<h1>Sign in to ${escapeHtml(name)}</h1>
${wrong ? '<p role="alert">Wrong email or password.</p>' : ""}
<form method="post" action="/interaction/${uid}/login">
  <p><label>Email <input name="email" type="email" autocomplete="username" value="${escapeHtml(email)}" required></label></p>
  <p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
  <p><button type="submit">Sign in</button></p>
</form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Cancel</button></form>`,
  );
}

/**
 * Starts the provider on 127.0.0.1 (`port` 0, the default: any free one). `clients`: [{ client_id, client_secret,
 * redirect_uris }]. Resolves to { issuer, url, addUser(user), stop() }.
 */
export async function startOidcTestProvider({ port = 0, clients, name = DEFAULT_NAME }) {
  const byEmail = new Map();
  const bySub = new Map();
  const addUser = ({ email, password, emailVerified = true, name: userName, sub }) => {
    if (typeof email !== "string" || typeof password !== "string") throw new TypeError("a user needs an email and a password");
    const key = email.toLowerCase();
    // Added again (a story run twice), a user keeps the subject it had unless told otherwise.
    const user = { email, password, emailVerified, name: userName, sub: sub ?? byEmail.get(key)?.sub ?? randomUUID() };
    byEmail.set(key, user);
    bySub.set(user.sub, user);
    return { ...user };
  };

  // Off the main thread, so that the suites' three providers make their keys at once.
  const { privateKey: signingKey } = await promisify(generateKeyPair)("rsa", { modulusLength: 2048 });
  let handle;
  const server = createServer(guarded((request, response) => handle(request, response)));
  const actualPort = await listen(server, port);
  const issuer = `http://localhost:${actualPort}`;
  const provider = new Provider(issuer, configuration({ clients, findUser: (sub) => bySub.get(sub), signingKey }));
  const oidc = provider.callback();

  handle = async (request, response) => {
    const { pathname } = new URL(request.url ?? "/", issuer);
    if (request.method === "POST" && pathname === "/__test/users") {
      return sendJson(response, 201, addUser(await readBody(request)));
    }
    const interaction = /^\/interaction\/([\w-]+)(\/login|\/abort)?$/.exec(pathname);
    if (!interaction) return oidc(request, response);
    const [, uid, action] = interaction;
    let details;
    try {
      details = await provider.interactionDetails(request, response);
    } catch (error) {
      if (!(error instanceof errors.SessionNotFound)) throw error;
      return sendHtml(response, 400, "Sign-in expired", "<h1>Sign-in expired</h1><p>This sign-in expired. Go back and start again.</p>");
    }
    if (!action && request.method === "GET") return loginPage(response, { uid, name, email: details.params.login_hint ?? "" });
    if (request.method !== "POST") return sendJson(response, 405, { error: "method not allowed" });
    if (action === "/abort") {
      const result = { error: "access_denied", error_description: "The person cancelled the sign-in." };
      return provider.interactionFinished(request, response, result, { mergeWithLastSubmission: false });
    }
    const { email = "", password = "" } = await readBody(request);
    const user = byEmail.get(email.toLowerCase());
    if (!user || user.password !== password) return loginPage(response, { uid, name, email, wrong: true });
    const result = { login: { accountId: user.sub, amr: ["pwd"] } };
    return provider.interactionFinished(request, response, result, { mergeWithLastSubmission: false });
  };

  return { issuer, url: issuer, addUser, stop: () => stopServer(server) };
}

/** The client and user `npm run dev` gets with DEV_OIDC_PROVIDER=1: fixed, so the app and the provider agree. */
export const DEV_CLIENT = { client_id: "tessera-dev", client_secret: "tessera-dev-secret-not-for-production" };
export const DEV_USER = { email: "test.person@example.com", password: "correct horse battery staple", emailVerified: true, name: "Test Person" };

/**
 * Starts a provider for trying Tessera locally, with DEV_CLIENT (its redirect URI on `appUrl`) and DEV_USER.
 * Resolves to { provider, env: the app's OIDC_* variables, user }.
 */
export async function startDevProvider({ appUrl = "http://localhost:3000", port = Number(process.env.DEV_OIDC_PORT ?? 0) } = {}) {
  const client = { ...DEV_CLIENT, redirect_uris: [`${appUrl}/auth/callback/oidc`] };
  const provider = await startOidcTestProvider({ port, clients: [client], name: DEFAULT_NAME });
  const user = provider.addUser(DEV_USER);
  const env = { OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: client.client_id, OIDC_CLIENT_SECRET: client.client_secret, OIDC_NAME: DEFAULT_NAME };
  return { provider, env, user };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { provider, env, user } = await startDevProvider({ appUrl: process.env.APP_URL });
  // listen() unrefs the server so that a test harness always exits; run directly, it should stay up.
  setInterval(() => undefined, 1 << 30);
  console.log(`OpenID provider at ${provider.issuer}. Give the app:`);
  for (const [key, value] of Object.entries(env)) console.log(`  ${key}=${JSON.stringify(value)}`);
  console.log(`Sign in there as ${user.email} with the password "${user.password}". Ctrl-C stops it.`);
}
