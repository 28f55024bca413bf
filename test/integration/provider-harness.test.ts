// The identity providers the suites sign in at (scripts/identity-providers.mjs), checked with a real client
// (openid-client 6) and plain fetch before any app test leans on them: the real OpenID provider completes a flow,
// sends `iss` and honours prompt=login and max_age; the rogue provider sends exactly the bad answer it is told to,
// and a code works once; the GitHub stub answers as GitHub documents. The providers are the ones global-setup.ts
// started, reached by the variables the app reads, except for one rogue provider of this file's own whose
// server-wide setting it changes (other files share the suite's).
import { randomUUID } from "node:crypto";
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import * as oidc from "openid-client";
import { describe, expect, it } from "vitest";
import { startRogueProvider } from "../../scripts/oidc-rogue-provider.mjs";
import type { RogueNext } from "../../scripts/oidc-rogue-provider.mjs";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: test/support/global-setup.ts starts the identity providers`);
  return value;
};

/** An app on a port no provider registered: the providers must accept any localhost port. */
const callback = (id: string) => `http://localhost:45678/auth/callback/${id}`;

/** A browser, enough of one: keeps cookies (by name: the providers' are distinct) and never follows redirects. */
function browser() {
  const jar = new Map<string, string>();
  return async (url: string | URL, init: RequestInit = {}): Promise<Response> => {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
    const response = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie } });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  };
}
type Browser = ReturnType<typeof browser>;

const form = (fields: Record<string, string>): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

/** Follows redirects on `origin` until one leaves it (the way back to the app), or a page answers. */
async function follow(go: Browser, url: string | URL, origin: string): Promise<{ back?: URL; page?: Response }> {
  let response = await go(url);
  for (;;) {
    const location = response.headers.get("location");
    if (!location) return { page: response };
    const next = new URL(location, origin);
    if (next.origin !== origin) return { back: next };
    response = await go(next);
  }
}

/** What openid-client sends at the start of a flow, and what it must remember. */
async function authorizationRequest(config: oidc.Configuration, redirectUri: string, extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: "openid email profile",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...extra,
  });
  return { url, verifier, state, nonce };
}

const discover = (issuer: string, id: string, secret: string, auth = oidc.ClientSecretBasic(secret)) =>
  oidc.discovery(new URL(issuer), id, secret, auth, { execute: [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks] });

describe("the OpenID test provider", () => {
  const issuer = env("OIDC_ISSUER");
  const clientId = env("OIDC_CLIENT_ID");
  const secret = env("OIDC_CLIENT_SECRET");
  const redirectUri = callback("oidc");

  const addUser = async (user: Record<string, unknown>) => {
    const response = await fetch(`${env("E2E_OIDC_PROVIDER_URL")}/__test/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(user),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { sub: string; email: string; password: string };
  };
  const newUser = (extra: Record<string, unknown> = {}) =>
    addUser({ email: `${randomUUID()}@example.com`, password: "provider password", name: "Pat Provider", ...extra });

  /** Opens the login page of a fresh authorization request; resolves to the page's form action and the request. */
  async function loginPage(go: Browser, config: oidc.Configuration, extra?: Record<string, string>) {
    const request = await authorizationRequest(config, redirectUri, extra);
    const { page } = await follow(go, request.url, issuer);
    const html = (await page?.text()) ?? "";
    expect(html).toMatch(/<label>Email <input/);
    expect(html).toMatch(/<label>Password <input/);
    const [, action = ""] = /<form method="post" action="([^"]+\/login)">/.exec(html) ?? [];
    return { request, action: new URL(action, issuer), html };
  }

  async function signIn(go: Browser, action: URL, user: { email: string; password: string }) {
    const response = await go(action, form({ email: user.email, password: user.password }));
    expect(response.status).toBe(303);
    return follow(go, response.headers.get("location")!, issuer);
  }

  it("signs a person in: code, state and iss back on any localhost port, the claims in the ID token", async () => {
    const user = await newUser({ emailVerified: false });
    const config = await discover(issuer, clientId, secret);
    expect(config.serverMetadata().authorization_response_iss_parameter_supported).toBe(true);
    const go = browser();
    const { request, action } = await loginPage(go, config);
    const { back } = await signIn(go, action, user);
    expect(back?.searchParams.get("iss")).toBe(issuer);
    const tokens = await oidc.authorizationCodeGrant(config, back!, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    expect(tokens.claims()).toMatchObject({ iss: issuer, aud: clientId, sub: user.sub, email: user.email, email_verified: false, name: "Pat Provider" });
  });

  it("says a wrong password on its page, and Cancel comes back with access_denied", async () => {
    const user = await newUser();
    const config = await discover(issuer, clientId, secret);
    const go = browser();
    const { action, html } = await loginPage(go, config);
    const wrong = await go(action, form({ email: user.email, password: "not it" }));
    expect(await wrong.text()).toContain("Wrong email or password.");
    const [, cancel = ""] = /<form method="post" action="([^"]+\/abort)">/.exec(html) ?? [];
    expect(html).toContain("Cancel</button>");
    const response = await go(new URL(cancel, issuer), form({}));
    const { back } = await follow(go, response.headers.get("location")!, issuer);
    expect(back?.searchParams.get("error")).toBe("access_denied");
    expect(back?.searchParams.get("iss")).toBe(issuer);
  });

  it("asks again with prompt=login or max_age=0, and not without (client_secret_post as well)", async () => {
    const user = await newUser();
    const config = await discover(issuer, clientId, secret, oidc.ClientSecretPost(secret));
    const go = browser();
    const first = await loginPage(go, config);
    const { back } = await signIn(go, first.action, user);
    await oidc.authorizationCodeGrant(config, back!, { pkceCodeVerifier: first.request.verifier, expectedState: first.request.state, expectedNonce: first.request.nonce });

    const again = await authorizationRequest(config, redirectUri);
    expect((await follow(go, again.url, issuer)).back?.searchParams.has("code")).toBe(true);
    for (const extra of [{ prompt: "login" }, { max_age: "0" }] as Record<string, string>[]) {
      const { request, action } = await loginPage(go, config, extra);
      const fresh = await signIn(go, action, user);
      const tokens = await oidc.authorizationCodeGrant(config, fresh.back!, {
        pkceCodeVerifier: request.verifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
        maxAge: extra.max_age ? 0 : undefined,
      });
      expect(tokens.claims()?.sub).toBe(user.sub);
    }
  });
});

describe("the rogue provider", () => {
  const issuer = env("GOOGLE_ISSUER");
  const clientId = env("GOOGLE_CLIENT_ID");
  const secret = env("GOOGLE_CLIENT_SECRET");
  const redirectUri = callback("google");

  /** An authorization request answered as `next` says (for it alone), and the redirect back. */
  async function authorize(next: RogueNext = {}, base = issuer) {
    const config = await discover(base, clientId, secret);
    const request = await authorizationRequest(config, redirectUri);
    request.url.searchParams.set("test_next", JSON.stringify(next));
    const response = await fetch(request.url, { redirect: "manual" });
    expect(response.status).toBe(302);
    return { config, request, back: new URL(response.headers.get("location")!) };
  }

  const tokenRequest = (code: string, verifier: string, base = issuer) =>
    fetch(`${base}/token`, {
      ...form({ grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: verifier }),
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`)}` },
    });

  async function idTokenFor(next: RogueNext) {
    const { request, back } = await authorize(next);
    const response = await tokenRequest(back.searchParams.get("code")!, request.verifier);
    expect(response.status).toBe(200);
    const { id_token } = (await response.json()) as { id_token: string };
    return { idToken: id_token, nonce: request.nonce };
  }

  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const verify = (token: string) => jwtVerify(token, jwks, { issuer, audience: clientId });

  it("is honest by default: a signed ID token openid-client accepts, with the nonce it was sent", async () => {
    const { config, request, back } = await authorize();
    expect(back.searchParams.get("iss")).toBe(issuer);
    expect(back.searchParams.get("state")).toBe(request.state);
    const tokens = await oidc.authorizationCodeGrant(config, back, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    expect(tokens.claims()).toMatchObject({ sub: "rogue-subject-0001", email_verified: true, nonce: request.nonce });
    const userinfo = await fetch(`${issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(await userinfo.json()).toMatchObject({ sub: "rogue-subject-0001", email: "rogue.person@example.com" });
  });

  it.each([
    ["alg-none", (token: string) => expect(decodeProtectedHeader(token).alg).toBe("none")],
    ["other-aud", (token: string) => expect(decodeJwt(token).aud).toBe("someone-else")],
    ["other-iss", (token: string) => expect(decodeJwt(token).iss).not.toBe(issuer)],
    ["expired", (token: string) => expect(decodeJwt(token).exp).toBeLessThan(Date.now() / 1000)],
  ] as const)("sends an ID token %s when told", async (mode, check) => {
    const { idToken } = await idTokenFor({ idToken: mode });
    check(idToken);
    await expect(verify(idToken)).rejects.toThrow();
  });

  it("sends an ID token signed with a key not in its JWKS, under the published kid, when told", async () => {
    const { idToken } = await idTokenFor({ idToken: "other-key" });
    const { keys } = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: { kid: string }[] };
    expect(decodeProtectedHeader(idToken)).toMatchObject({ alg: "RS256", kid: keys[0]!.kid });
    await expect(verify(idToken)).rejects.toThrow(/signature verification failed/);
  });

  it("sends an ID token with another nonce, or none, when told, the rest of it valid", async () => {
    const user = { sub: "someone", email: "someone@example.com", emailVerified: false };
    const mismatch = await idTokenFor({ idToken: "nonce-mismatch", user });
    const { payload } = await verify(mismatch.idToken);
    expect(payload.nonce).toEqual(expect.any(String));
    expect(payload.nonce).not.toBe(mismatch.nonce);
    expect(payload).toMatchObject({ sub: "someone", email: "someone@example.com", email_verified: false });
    const none = await idTokenFor({ idToken: "no-nonce" });
    expect((await verify(none.idToken)).payload).not.toHaveProperty("nonce");
  });

  it.each([
    ["no-iss", (back: URL) => expect(back.searchParams.has("iss")).toBe(false)],
    ["other-iss", (back: URL) => expect(back.searchParams.get("iss")).not.toBe(issuer)],
    ["error:access_denied", (back: URL) => expect([back.searchParams.get("error"), back.searchParams.has("code")]).toEqual(["access_denied", false])],
  ] as const)("answers the authorization request %s when told", async (mode, check) => {
    const { back } = await authorize({ authorizationResponse: mode });
    check(back);
  });

  it("takes a code once, even twenty at once, and only with its PKCE verifier", async () => {
    const wrongVerifier = await authorize();
    const refused = await tokenRequest(wrongVerifier.back.searchParams.get("code")!, oidc.randomPKCECodeVerifier());
    expect(refused.status).toBe(400);
    // The refusal spent it.
    expect((await tokenRequest(wrongVerifier.back.searchParams.get("code")!, wrongVerifier.request.verifier)).status).toBe(400);

    const { request, back } = await authorize();
    const code = back.searchParams.get("code")!;
    const statuses = await Promise.all(Array.from({ length: 20 }, () => tokenRequest(code, request.verifier).then((r) => r.status)));
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect((await tokenRequest(code, request.verifier)).status).toBe(400);
  });

  it("changes what it answers server-wide through POST /__test/next, until POST /__test/reset", async () => {
    const own = await startRogueProvider({ clients: [{ client_id: clientId, client_secret: secret, redirect_uris: [redirectUri] }] });
    try {
      const control = (path: string, body: unknown) =>
        fetch(`${own.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      expect((await control("/__test/next", { tokenStatus: 500, delayMs: 50 })).status).toBe(200);
      const failing = await authorize({}, own.issuer);
      const started = Date.now();
      expect((await tokenRequest(failing.back.searchParams.get("code")!, failing.request.verifier, own.issuer)).status).toBe(500);
      expect(Date.now() - started).toBeGreaterThanOrEqual(45);
      await control("/__test/reset", {});
      const honest = await authorize({}, own.issuer);
      expect((await tokenRequest(honest.back.searchParams.get("code")!, honest.request.verifier, own.issuer)).status).toBe(200);
    } finally {
      await own.stop();
    }
  });
});

describe("the GitHub stub", () => {
  const web = env("GITHUB_URL");
  const api = env("GITHUB_API_URL");
  const clientId = env("GITHUB_CLIENT_ID");
  const secret = env("GITHUB_CLIENT_SECRET");

  const login = `octo-${randomUUID().slice(0, 8)}`;
  const email = `${login}@example.com`;
  const password = "github password";

  async function addUser() {
    const response = await fetch(`${web}/__test/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login, password, name: "Octo Cat", emails: [{ email, primary: true, verified: true }, { email: `old-${email}`, verified: false }] }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: number };
  }

  /** The sign-in page of an authorization request; resolves to its hidden authorization id, the page and the PKCE pair. */
  async function authorizePage() {
    const verifier = oidc.randomPKCECodeVerifier();
    const url = new URL(`${web}/login/oauth/authorize`);
    for (const [key, value] of Object.entries({
      client_id: clientId,
      redirect_uri: callback("github"),
      state: "the-state",
      scope: "read:user user:email",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    })) {
      url.searchParams.set(key, value);
    }
    const response = await fetch(url);
    const html = await response.text();
    expect(html).toContain("Sign in to GitHub");
    expect(html).toMatch(/<label>Username or email address <input/);
    expect(html).toMatch(/<label>Password <input/);
    const [, id = ""] = /name="authorization" value="(\w+)"/.exec(html) ?? [];
    return { id, verifier };
  }

  const signIn = (fields: Record<string, string>, path = "/session") => fetch(`${web}${path}`, { ...form(fields), redirect: "manual" });

  const accessToken = (fields: Record<string, string>, accept = "application/json") =>
    fetch(`${web}/login/oauth/access_token`, { ...form(fields), headers: { "content-type": "application/x-www-form-urlencoded", accept } });

  it("signs a person in by email, then answers the token, /user and /user/emails as GitHub does", async () => {
    const { id: accountId } = await addUser();
    const { id, verifier } = await authorizePage();
    expect(await (await signIn({ authorization: id, login, password: "wrong" })).text()).toContain("Incorrect username or password.");
    const signedIn = await signIn({ authorization: id, login: email, password });
    const back = new URL(signedIn.headers.get("location")!);
    expect(back.origin + back.pathname).toBe(callback("github"));
    expect(back.searchParams.get("state")).toBe("the-state");
    const code = back.searchParams.get("code")!;

    // Form-encoded unless asked for JSON; a spent or unknown code is HTTP 200 with an error.
    const wrongVerifier = await accessToken({ client_id: clientId, client_secret: secret, code: "nope", code_verifier: verifier }, "*/*");
    expect(wrongVerifier.status).toBe(200);
    expect(Object.fromEntries(new URLSearchParams(await wrongVerifier.text()))).toMatchObject({ error: "bad_verification_code" });
    const token = await accessToken({ client_id: clientId, client_secret: secret, code, redirect_uri: callback("github"), code_verifier: verifier });
    const { access_token, token_type, scope } = (await token.json()) as Record<string, string>;
    expect({ token_type, scope }).toEqual({ token_type: "bearer", scope: "read:user,user:email" });
    const replay = await accessToken({ client_id: clientId, client_secret: secret, code, code_verifier: verifier });
    expect(await replay.json()).toMatchObject({ error: "bad_verification_code" });

    const user = await (await fetch(`${api}/user`, { headers: { authorization: `Bearer ${access_token}` } })).json();
    expect(user).toMatchObject({ id: accountId, login, name: "Octo Cat", email: null });
    expect(typeof user.id).toBe("number");
    const emails = await (await fetch(`${api}/user/emails`, { headers: { authorization: `token ${access_token}` } })).json();
    expect(emails).toEqual([
      { email, primary: true, verified: true, visibility: "private" },
      { email: `old-${email}`, primary: false, verified: false, visibility: null },
    ]);
    expect((await fetch(`${api}/user`, { headers: { authorization: "Bearer gho_unknown" } })).status).toBe(401);
  });

  it("refuses a code without its PKCE verifier, and Cancel comes back with access_denied and the state", async () => {
    await addUser();
    const first = await authorizePage();
    const signedIn = await signIn({ authorization: first.id, login, password });
    const code = new URL(signedIn.headers.get("location")!).searchParams.get("code")!;
    const response = await accessToken({ client_id: clientId, client_secret: secret, code, code_verifier: oidc.randomPKCECodeVerifier() });
    expect(await response.json()).toMatchObject({ error: "bad_verification_code" });

    const second = await authorizePage();
    const cancelled = new URL((await signIn({ authorization: second.id }, "/session/cancel")).headers.get("location")!);
    expect([cancelled.searchParams.get("error"), cancelled.searchParams.get("state")]).toEqual(["access_denied", "the-state"]);
  });
});
