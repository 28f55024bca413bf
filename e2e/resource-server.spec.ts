// Another service trusting this app's access tokens: examples/resource-server, a plain Node server started here on
// a free port, verifies them from the app's JWKS and, on one route, asks the app's introspection endpoint.
import { startServer } from "./support/extra-server";
import { expect, test } from "./support/fixtures";
import {
  basic,
  BILLING,
  introspect,
  ORDERS,
  secretOf,
  startResourceServer,
  tokensFor,
  type ResourceServer,
} from "./support/resource-server";
import { baseURL } from "./support/server";
import { decodeClaims } from "./support/session";

const postJson = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

const call = async (server: ResourceServer, path: string, token: string) => {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json() };
};

test.describe("A resource server of its own", () => {
  let orders: ResourceServer;

  test.beforeAll(async () => {
    orders = await startResourceServer(baseURL, { audience: ORDERS });
  });
  test.afterAll(async () => {
    await orders?.stop();
  });

  test("accepts a token meant for it; after revocation the introspected route refuses at once, the JWKS-only route still accepts", async ({
    newPerson,
  }) => {
    const { email, password, userId } = await newPerson();
    const { access_token: access, refresh_token: refresh } = await tokensFor(email, password, ORDERS);
    const header = JSON.parse(Buffer.from(access.split(".")[0]!, "base64url").toString());
    expect(header).toMatchObject({ alg: "ES256", typ: "at+jwt" });
    expect(decodeClaims(access)).toMatchObject({ sub: userId, aud: ORDERS, client_id: "tessera-api" });

    expect(await call(orders, "/whoami", access)).toMatchObject({ status: 200, body: { sub: userId, check: "signature" } });
    expect(await call(orders, "/payouts", access)).toMatchObject({ status: 200, body: { sub: userId, check: "introspection" } });
    // Meant for the orders service, not for the app itself.
    expect((await fetch(`${baseURL}/api/me`, { headers: { authorization: `Bearer ${access}` } })).status).toBe(401);

    expect((await postJson(`${baseURL}/api/auth/revoke`, { token: refresh })).status).toBe(200);

    expect((await call(orders, "/payouts", access)).status).toBe(401);
    // The signature alone cannot know the session ended: this route accepts the token until it expires.
    expect((await call(orders, "/whoami", access)).status).toBe(200);
  });

  test("a token for another resource server, for the app itself, or a session cookie is refused", async ({ newPerson, signedInAs }) => {
    const { email, password } = await newPerson();
    const forBilling = await tokensFor(email, password, BILLING);
    const forApp = await tokensFor(email, password);
    const { token: cookieToken, cookie } = await signedInAs();
    for (const token of [forBilling.access_token, forApp.access_token, cookieToken]) {
      expect((await call(orders, "/whoami", token)).status).toBe(401);
      expect((await call(orders, "/payouts", token)).status).toBe(401);
    }
    const withCookie = await fetch(`${orders.url}/whoami`, { headers: { cookie } });
    expect(withCookie.status).toBe(401);
    // An audience nobody configured is refused before anything is issued.
    const unknown = await postJson(`${baseURL}/api/auth/token`, { email, password, resource: "https://elsewhere.example" });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: "invalid_target" });
  });

  test("fetches the JWKS once for a burst of requests, and caches introspection answers when told to", async ({ newPerson }) => {
    const { email, password } = await newPerson();
    const tokens = await Promise.all(Array.from({ length: 5 }, () => tokensFor(email, password, ORDERS)));
    const cached = await startResourceServer(baseURL, { audience: ORDERS, introspectionCacheSeconds: 600 });
    try {
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) => call(cached, "/whoami", tokens[i % tokens.length]!.access_token)),
      );
      expect(answers.every(({ status }) => status === 200)).toBe(true);
      for (let i = 0; i < 3; i++) expect((await call(cached, "/payouts", tokens[0]!.access_token)).status).toBe(200);
      expect(await cached.stats()).toEqual({ jwksFetches: 1, introspections: 1 });
    } finally {
      await cached.stop();
    }
  });
});

test.describe("Introspection (RFC 7662)", () => {
  test("answers a resource server with its own credentials: active for its live tokens, inactive for anything else", async ({ newPerson }) => {
    const { email, password, userId } = await newPerson();
    const { access_token: access, refresh_token: refresh } = await tokensFor(email, password, ORDERS);
    const ordersBasic = basic(ORDERS, secretOf(ORDERS));

    const active = await introspect(access, { authorization: ordersBasic });
    expect(active.status).toBe(200);
    expect(active.headers.get("cache-control")).toBe("no-store");
    expect(await active.json()).toMatchObject({ active: true, sub: userId, aud: ORDERS, client_id: "tessera-api", role: "user" });
    // client_secret_post, and a JSON body, work as well.
    const posted = await introspect(access, { body: { client_id: ORDERS, client_secret: secretOf(ORDERS) }, json: true });
    expect(await posted.json()).toMatchObject({ active: true, sub: userId });

    // Another resource server's own valid credentials learn nothing about this token.
    expect(await (await introspect(access, { authorization: basic(BILLING, secretOf(BILLING)) })).json()).toEqual({ active: false });
    expect(await (await introspect(refresh, { authorization: ordersBasic })).json()).toEqual({ active: false });
    expect(await (await introspect("not-a-token", { authorization: ordersBasic })).json()).toEqual({ active: false });

    await postJson(`${baseURL}/api/auth/revoke`, { token: access });
    expect(await (await introspect(access, { authorization: ordersBasic })).json()).toEqual({ active: false });
  });

  test("refuses a caller without credentials, with a wrong secret, with another server's secret, or with both methods at once", async ({
    apiSessionFor,
  }) => {
    const { access_token: access } = await apiSessionFor();
    const attempts: Record<string, Parameters<typeof introspect>[1]> = {
      "no credentials": {},
      "a wrong secret": { authorization: basic(ORDERS, `${secretOf(ORDERS)}x`) },
      "billing's secret under the orders id": { authorization: basic(ORDERS, secretOf(BILLING)) },
      "an unknown client": { authorization: basic("https://unknown.example", secretOf(ORDERS)) },
      "the app's own audience, which has no secret": { authorization: basic("tessera", secretOf(ORDERS)) },
      "a malformed Basic header": { authorization: "Basic %%%" },
    };
    for (const [name, init] of Object.entries(attempts)) {
      const answer = await introspect(access, init);
      expect(answer.status, name).toBe(401);
      expect(answer.headers.get("www-authenticate"), name).toMatch(/^Basic /);
      expect(await answer.json(), name).toMatchObject({ error: "invalid_client" });
    }
  });

  test("refuses a request that names its client two ways: Basic with the body's secret, or with another client id", async ({
    apiSessionFor,
  }) => {
    const { access_token: access } = await apiSessionFor();
    const asBilling = basic(BILLING, secretOf(BILLING));
    const attempts: Record<string, Parameters<typeof introspect>[1]> = {
      "both Basic and the body": { authorization: asBilling, body: { client_id: BILLING, client_secret: secretOf(BILLING) } },
      "Basic for billing, client_id orders": { authorization: asBilling, body: { client_id: ORDERS } },
      "the same, as JSON": { authorization: asBilling, body: { client_id: ORDERS }, json: true },
    };
    for (const [name, init] of Object.entries(attempts)) {
      const answer = await introspect(access, init);
      expect(answer.status, name).toBe(400);
      expect(await answer.json(), name).toMatchObject({ error: "invalid_request" });
    }
    // Repeating Basic's own id in the body is one client, one method.
    const same = await introspect(access, { authorization: asBilling, body: { client_id: BILLING } });
    expect(same.status).toBe(200);
  });
});

test.describe("Published keys and metadata", () => {
  test("the JWKS holds public keys only, cacheable for one period; the metadata points at it", async ({ apiSession }) => {
    const jwks = await fetch(`${baseURL}/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    expect(jwks.headers.get("cache-control")).toBe("public, max-age=600");
    expect(jwks.headers.get("content-type")).toContain("application/jwk-set+json");
    const { keys } = (await jwks.json()) as { keys: Record<string, string>[] };
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);
      expect(key).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    }
    const { kid } = JSON.parse(Buffer.from(apiSession.access_token.split(".")[0]!, "base64url").toString());
    expect(keys.map((key) => key.kid)).toContain(kid);

    for (const path of ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"]) {
      const answer = await fetch(`${baseURL}${path}`);
      expect(answer.headers.get("cache-control")).toBe("public, max-age=600");
      expect(await answer.json()).toMatchObject({
        issuer: "tessera",
        jwks_uri: `${baseURL}/.well-known/jwks.json`,
        token_endpoint: `${baseURL}/api/auth/token`,
        revocation_endpoint: `${baseURL}/api/auth/revoke`,
        introspection_endpoint: `${baseURL}/api/auth/introspect`,
      });
    }
  });
});

test.describe("After expiry", () => {
  test.describe.configure({ timeout: 90_000 });

  test("the JWKS-only route refuses a revoked token once it has expired, not before", async ({ newPerson }) => {
    // Short-lived tokens from a second instance over the same database and keys.
    const app = await startServer({ ACCESS_TOKEN_TTL_SECONDS: "2" });
    const orders = await startResourceServer(app.url, { audience: ORDERS });
    try {
      const { email, password } = await newPerson();
      const { access_token: access, refresh_token: refresh } = await tokensFor(email, password, ORDERS, app.url);
      const { exp } = decodeClaims(access) as { exp: number };
      await postJson(`${app.url}/api/auth/revoke`, { token: refresh });
      expect((await call(orders, "/payouts", access)).status).toBe(401);
      // Polled until refused, which must not come before the expiry (the verifier allows 5 s of skew after it).
      for (;;) {
        const { status } = await call(orders, "/whoami", access);
        const seenAt = Date.now() / 1000;
        if (status === 401) {
          expect(seenAt).toBeGreaterThanOrEqual(exp);
          break;
        }
        expect(status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } finally {
      await orders.stop();
      await app.stop();
    }
  });
});
