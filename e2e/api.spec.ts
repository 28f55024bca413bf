// The Bearer API for non-browser clients, over real HTTP against the production build.
import * as oauth from "oauth4webapi";
import { countLiveSessions } from "./support/db";
import { expect, test } from "./support/fixtures";
import { baseURL } from "./support/server";
import { newEmail, PASSWORD } from "./support/users";

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

async function call(path: string, init: { json?: unknown; body?: BodyInit; headers?: Record<string, string>; method?: string } = {}): Promise<Answer> {
  const response = await fetch(`${baseURL}${path}`, {
    method: init.method ?? (init.json !== undefined || init.body !== undefined ? "POST" : "GET"),
    headers: { ...(init.json !== undefined ? { "content-type": "application/json" } : {}), ...init.headers },
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    redirect: "manual",
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, headers: response.headers };
}

const me = (accessToken: string) => call("/api/me", { headers: { authorization: `Bearer ${accessToken}` } });

test.describe("Bearer API", () => {
  test("a standard OAuth client finds the endpoints in the metadata and signs in, refreshes and revokes form-encoded", async ({ newPerson }) => {
    const { email, userId } = await newPerson();
    // oauth4webapi as any OAuth client would use it: RFC 8414 metadata, RFC 6749 grants, RFC 7009 revocation.
    const as = (await (await fetch(`${baseURL}/.well-known/oauth-authorization-server`)).json()) as oauth.AuthorizationServer;
    const client: oauth.Client = { client_id: "a-command-line-tool" };
    const auth = oauth.None();
    const http = { [oauth.allowInsecureRequests]: true };
    const signIn = (password: string) =>
      oauth.genericTokenEndpointRequest(as, client, auth, "password", new URLSearchParams({ username: email, password }), http);

    // RFC 6749 5.2's status for a refused grant, where the app's own JSON answers 401.
    await expect(oauth.processGenericTokenEndpointResponse(as, client, await signIn("not the password"))).rejects.toMatchObject({ error: "invalid_grant", status: 400 });
    const issued = await oauth.processGenericTokenEndpointResponse(as, client, await signIn(PASSWORD));
    expect(issued.token_type).toBe("bearer");
    expect((await me(issued.access_token)).body).toEqual({ id: userId, email, role: "user" });

    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, issued.refresh_token!, http));
    expect(refreshed.refresh_token).not.toBe(issued.refresh_token);
    expect((await me(refreshed.access_token)).status).toBe(200);

    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, refreshed.refresh_token!, http));
    expect((await me(refreshed.access_token)).status).toBe(401);
    expect(await countLiveSessions(email)).toBe(0);
  });

  test("token, me, refresh, reuse and revoke: the whole story", async ({ newPerson }) => {
    const { email, userId } = await newPerson();
    const issued = await call("/api/auth/token", { json: { email, password: PASSWORD } });
    expect(issued.status).toBe(200);
    expect(issued.headers.get("cache-control")).toBe("no-store");
    expect(issued.headers.get("set-cookie")).toBeNull();
    expect(issued.body).toMatchObject({ token_type: "Bearer", expires_in: 900 });
    const { access_token: access1, refresh_token: refresh1 } = issued.body as Record<string, string>;
    expect(refresh1).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const who = await me(access1!);
    expect(who.status).toBe(200);
    expect(who.body).toEqual({ id: userId, email, role: "user" });
    expect(who.headers.get("set-cookie")).toBeNull();

    const refreshed = await call("/api/auth/refresh", { json: { refresh_token: refresh1 } });
    expect(refreshed.status).toBe(200);
    const { access_token: access2, refresh_token: refresh2 } = refreshed.body as Record<string, string>;
    expect(refresh2).not.toBe(refresh1);
    expect((await me(access2!)).status).toBe(200);

    // The spent refresh token again at once (a client's parallel refresh): within the reuse grace period it gets
    // the same successor, and nothing ends.
    const repeated = await call("/api/auth/refresh", { json: { refresh_token: refresh1 } });
    expect(repeated.status).toBe(200);
    expect(repeated.body.refresh_token).toBe(refresh2);
    expect((await me(repeated.body.access_token as string)).status).toBe(200);

    // Once its successor has been spent, the first token again is a reuse: the whole session ends, every token of
    // it with it.
    const refreshed3 = await call("/api/auth/refresh", { json: { refresh_token: refresh2 } });
    expect(refreshed3.status).toBe(200);
    const reuse = await call("/api/auth/refresh", { json: { refresh_token: refresh1 } });
    expect(reuse.status).toBe(401);
    expect(reuse.body).toMatchObject({ error: "invalid_grant" });
    expect((await me(access2!)).status).toBe(401);
    expect((await me(refreshed3.body.access_token as string)).status).toBe(401);
    expect((await call("/api/auth/refresh", { json: { refresh_token: refreshed3.body.refresh_token } })).status).toBe(401);
  });

  test("paths no API route serves, and methods a route does not take, answer JSON errors", async () => {
    for (const [method, path] of [["GET", "/api"], ["GET", "/api/nothing-here"], ["POST", "/api/auth/nothing"], ["DELETE", "/api/a/b/c"], ["OPTIONS", "/api/nothing"]] as const) {
      const answer = await call(path, { method });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.headers.get("content-type"), `${method} ${path}`).toContain("application/json");
      expect(answer.body, `${method} ${path}`).toMatchObject({ error: "not_found" });
    }
    const refused: [string, string, string][] = [
      ["GET", "/api/auth/token", "POST, OPTIONS"],
      ["PUT", "/api/auth/refresh", "POST, OPTIONS"],
      ["DELETE", "/api/me", "GET, HEAD, OPTIONS"],
      ["POST", "/api/health", "GET, HEAD, OPTIONS"],
      ["PATCH", "/api/auth/introspect", "POST, OPTIONS"],
    ];
    for (const [method, path, allow] of refused) {
      const answer = await call(path, { method, ...(method === "GET" ? {} : { body: "{}" }) });
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.headers.get("allow"), `${method} ${path}`).toBe(allow);
      expect(answer.body, `${method} ${path}`).toMatchObject({ error: "invalid_request" });
    }
  });

  test("revoke ends the session of the presented token, and answers 200 even when it is dead", async ({ newPerson }) => {
    const { email } = await newPerson();
    const { body } = await call("/api/auth/token", { json: { email, password: PASSWORD } });
    const { access_token: access, refresh_token: refresh } = body as Record<string, string>;
    expect((await call("/api/auth/revoke", { json: { token: refresh } })).status).toBe(200);
    expect((await me(access!)).status).toBe(401);
    expect((await call("/api/auth/revoke", { json: { token: refresh } })).status).toBe(200);
    expect((await call("/api/auth/revoke", { json: { token: "never-issued" } })).status).toBe(200);

    const second = (await call("/api/auth/token", { json: { email, password: PASSWORD } })).body as Record<string, string>;
    expect((await call("/api/auth/revoke", { json: { token: second.access_token } })).status).toBe(200);
    expect((await me(second.access_token!)).status).toBe(401);
    expect((await call("/api/auth/refresh", { json: { refresh_token: second.refresh_token } })).status).toBe(401);
  });

  test("unknown email and wrong password get the same 401 body", async ({ newPerson }) => {
    const { email } = await newPerson();
    const wrong = await call("/api/auth/token", { json: { email, password: "not the password at all" } });
    const unknown = await call("/api/auth/token", { json: { email: newEmail("ghost"), password: PASSWORD } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toEqual({ error: "invalid_grant", error_description: "Invalid email or password." });
  });

  test("a missing, malformed, expired-looking or foreign token gets 401 invalid_token", async ({ signedInAs }) => {
    const { token: cookieToken } = await signedInAs();
    const attempts: Record<string, string> = {
      "no header": "",
      "not Bearer": "Basic dXNlcjpwYXNz",
      "empty Bearer": "Bearer ",
      garbage: "Bearer not-a-token",
      "a cookie's session token": `Bearer ${cookieToken}`,
    };
    for (const [, authorization] of Object.entries(attempts)) {
      const answer = await call("/api/me", { headers: authorization ? { authorization } : {} });
      expect(answer.status).toBe(401);
      expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_token"/);
      expect(answer.body).toMatchObject({ error: "invalid_token" });
    }
  });

  test("the scheme is Bearer in any case; any other scheme or shape of the header gets 401 and a challenge", async ({
    apiSession: { access_token: access, email },
  }) => {
    for (const scheme of ["Bearer", "bearer", "BEARER", "bEaReR"]) {
      const answer = await call("/api/me", { headers: { authorization: `${scheme} ${access}` } });
      expect(answer.status, scheme).toBe(200);
      expect(answer.body).toMatchObject({ email });
    }
    for (const authorization of [
      `Basic ${access}`,
      `Token ${access}`,
      "Bearer",
      "bearer",
      `Bearer  ${access}`,
      `Bearer ${access} ${access}`,
      `Bearer ${access} extra`,
      `Bearer,${access}`,
    ]) {
      const answer = await call("/api/me", { headers: { authorization } });
      expect(answer.status, authorization).toBe(401);
      expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_token"/);
      expect(answer.body).toMatchObject({ error: "invalid_token" });
    }
  });

  test("a cookie alone never authenticates the API", async ({ signedInAs }) => {
    const { cookie } = await signedInAs();
    const answer = await call("/api/me", { headers: { cookie } });
    expect(answer.status).toBe(401);
  });

  test("wrong content type 415, malformed JSON 400, body over 16 KB 413, missing fields 400", async ({ newPerson }) => {
    const { email } = await newPerson();
    const sessionsBefore = await countLiveSessions(email);
    const asText = await call("/api/auth/token", { body: `email=${encodeURIComponent(email)}&password=x`, headers: { "content-type": "text/plain" } });
    expect(asText.status).toBe(415);
    expect(asText.body).toMatchObject({ error: "invalid_request", error_description: expect.any(String) });
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const twice = await call("/api/auth/token", { body: `grant_type=password&username=${encodeURIComponent(email)}&password=x&password=${PASSWORD}`, headers: form });
    expect(twice).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    const otherGrant = await call("/api/auth/token", { body: "grant_type=client_credentials&client_id=x", headers: form });
    expect(otherGrant).toMatchObject({ status: 400, body: { error: "unsupported_grant_type" } });

    const malformed = await call("/api/auth/token", { body: "{not json", headers: { "content-type": "application/json" } });
    expect(malformed.status).toBe(400);
    const array = await call("/api/auth/token", { json: [email, PASSWORD] });
    expect(array.status).toBe(400);

    const huge = await call("/api/auth/token", { json: { email, password: PASSWORD, pad: "x".repeat(17 * 1024) } });
    expect(huge.status).toBe(413);

    const missing = await call("/api/auth/token", { json: { email } });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: "invalid_request" });
    const missingRefresh = await call("/api/auth/refresh", { json: {} });
    expect(missingRefresh.status).toBe(400);
    expect(await countLiveSessions(email)).toBe(sessionsBefore);
  });
});
