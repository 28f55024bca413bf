// Requests and headers: sign-out only by POST, server actions only from our own pages, return paths never leave
// the site, Next.js's internal headers sent from outside change nothing, the benchmark's twin is not in the product, and
// every response carries the security headers.
import { OFFSITE_RETURN_PATHS } from "../../test/support/offsite-return-paths";
import { countLiveSessions, countUsers } from "../support/db";
import { startServer } from "../support/extra-server";
import { expect, test } from "../support/fixtures";
import { hiddenFields, postForm, send } from "../support/forms";
import { baseURL } from "../support/server";
import { SESSION_COOKIE } from "../support/session";
import { newEmail, PASSWORD, signUp } from "../support/users";

test.describe("Signing out", () => {
  test("GETs and prefetches of any URL never sign anyone out", async ({ page, signedInAs }) => {
    const { email, cookie } = await signedInAs();
    for (const path of ["/", "/account", "/account/sessions", "/sign-in", "/sign-up", "/api/me", "/sign-out", "/logout"]) {
      const prefetches: Record<string, string>[] = [{}, { "next-router-prefetch": "1", rsc: "1" }, { purpose: "prefetch", "sec-purpose": "prefetch" }];
      for (const headers of prefetches) {
        await fetch(`${baseURL}${path}`, { headers: { cookie, ...headers }, redirect: "manual" });
      }
    }
    expect(await countLiveSessions(email)).toBe(1);
    await page.goto("/account");
    await expect(page).toHaveURL("/account");
  });

  test("the sign-out answer clears the cookie with the same attributes and is not cacheable", async ({ signedInAs }) => {
    const { cookie } = await signedInAs();
    const form = await hiddenFields("/account", cookie);
    const answer = await postForm("/account", {}, { cookie, hidden: form });
    expect(answer.status).toBe(303);
    const cleared = answer.setCookie.find((c) => c.startsWith(`${SESSION_COOKIE}=;`));
    expect(cleared).toMatch(/Path=\//);
    expect(cleared).toMatch(/Max-Age=0/);
    expect(cleared).toMatch(/Secure/);
    expect(cleared).toMatch(/HttpOnly/);
    expect(cleared).toMatch(/SameSite=lax/i);
  });
});

test.describe("Cross-site requests", () => {
  test("a server action posted from a foreign Origin, or none, is refused and nothing runs", async () => {
    const form = await hiddenFields("/sign-up");
    // `Origin: null` passes only with the browser's own `Sec-Fetch-Site: same-origin` (a page sent without a Referer
    // posts so): a sandboxed frame elsewhere sends null with cross-site.
    const origins: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "null" },
      { origin: "null", "sec-fetch-site": "cross-site" },
      { origin: "null", "sec-fetch-site": "same-site" },
      { origin: `http://localhost.evil.example`, "sec-fetch-site": "same-origin" },
    ];
    for (const headers of origins) {
      const email = newEmail("csrf");
      const multipart = new FormData();
      for (const [name, value] of form) multipart.append(name, value);
      multipart.append("email", email);
      multipart.append("password", PASSWORD);
      const answer = await fetch(`${baseURL}/sign-up`, { method: "POST", body: multipart, headers, redirect: "manual" });
      expect(answer.status).toBe(403);
      expect(answer.headers.getSetCookie()).toEqual([]);
      expect(await countUsers(email)).toBe(0);
    }
    const email = newEmail("no-origin");
    const multipart = new FormData();
    for (const [name, value] of form) multipart.append(name, value);
    multipart.append("email", email);
    multipart.append("password", PASSWORD);
    const noOrigin = await fetch(`${baseURL}/sign-up`, { method: "POST", body: multipart, redirect: "manual" });
    expect(noOrigin.status).toBe(403);
    expect(await countUsers(email)).toBe(0);
  });

  test("a post without JavaScript naming a server action that does not exist answers 400, 404 or 409, and nothing runs", async () => {
    // Ids of the shapes builds make (40 or 42 hex digits) that no build made, and one of no such shape.
    for (const id of ["0".repeat(40), `7f${"0".repeat(40)}`, "nope"]) {
      const email = newEmail("unknown-action");
      const answer = await postForm("/sign-up", { email, password: PASSWORD }, { hidden: [[`$ACTION_ID_${id}`, ""]] });
      // Next.js 16 answers 409 for an id whose shape says another deployment's page sent it: a client error too.
      expect([400, 404, 409], id).toContain(answer.status);
      expect(answer.body, id).not.toMatch(/Failed to find Server Action|stack/i);
      expect(await countUsers(email)).toBe(0);
    }
  });

  test("a form another site's page posts reaches none of the token, revocation and introspection endpoints", async ({ newPerson }) => {
    // Both take forms, as OAuth clients send them; a form, unlike JSON, needs no preflight, so any page could make
    // its visitors' browsers post passwords here and get their address throttled.
    const { email } = await newPerson();
    const issued = await fetch(`${baseURL}/api/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "password", username: email, password: PASSWORD }),
    });
    const { refresh_token: refreshToken } = (await issued.json()) as { refresh_token: string };
    const sessions = await countLiveSessions(email);
    // What a browser puts on a form another site's page submits, or a sandboxed frame's (Origin: null).
    const fromElsewhere: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "null" },
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      { origin: baseURL, "sec-fetch-site": "same-site" },
    ];
    for (const headers of fromElsewhere) {
      const signIn = await send("/api/auth/token", new URLSearchParams({ grant_type: "password", username: email, password: PASSWORD }), undefined, headers);
      expect(signIn.status, JSON.stringify(headers)).toBe(403);
      expect(JSON.parse(signIn.body)).toMatchObject({ error: "invalid_request" });
      const revoke = await send("/api/auth/revoke", new URLSearchParams({ token: refreshToken }), undefined, headers);
      expect(revoke.status, JSON.stringify(headers)).toBe(403);
      // Introspection too, before it looks at credentials (it would answer 401 invalid_client).
      const introspect = await send("/api/auth/introspect", new URLSearchParams({ token: "x", client_id: "x", client_secret: "x" }), undefined, headers);
      expect(introspect.status, JSON.stringify(headers)).toBe(403);
    }
    expect(await countLiveSessions(email)).toBe(sessions);
    // This site's own page may (send() gives the request this origin, as a browser would), and so may what the
    // person does themselves (an extension: Sec-Fetch-Site none).
    expect((await send("/api/auth/revoke", new URLSearchParams({ token: refreshToken }))).status).toBe(200);
    expect(await countLiveSessions(email)).toBe(sessions - 1);
    const extension = { origin: "chrome-extension://abcdefghijklmnop", "sec-fetch-site": "none" };
    const signedIn = await send("/api/auth/token", new URLSearchParams({ grant_type: "password", username: email, password: PASSWORD }), undefined, extension);
    expect(signedIn.status).toBe(200);
  });
});

test.describe("Return paths that would leave the site", () => {
  // Every page and action that reads `next`: the unavailable page's link back, the sign-in page's hidden field,
  // and the sign-in action's redirect.
  for (const next of OFFSITE_RETURN_PATHS) {
    test(`a link with next=${JSON.stringify(next)} keeps the person on this site`, async ({ newPerson }) => {
      const { email } = await newPerson();
      const query = new URLSearchParams({ next });
      const unavailable = await fetch(`${baseURL}/unavailable?${query}`);
      expect(unavailable.status).toBe(503);
      expect(await unavailable.text()).toContain('<a href="/">Try again</a>');

      const form = await hiddenFields(`/sign-in?${query}`);
      expect(form.find(([name]) => name === "next")).toBeUndefined();

      const signIn = await postForm("/sign-in", { email, password: PASSWORD, next }, { hidden: form });
      expect(signIn.status).toBe(303);
      expect(signIn.location).toBe("/account");
    });
  }
});

// Headers Next.js reads for its own internal requests, sent from outside as an attacker would: the subrequest marker
// of CVE-2025-29927 (under middleware's name and Next.js 16's proxy), the matched path and route matches a
// deployment platform sets, the data, prefetch and router-state headers. None of them may skip the gate or the
// page's own check: a signed-out request for /account still goes to sign-in, and shows no account.
const INTERNAL_HEADERS: Record<string, string>[] = [
  { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
  { "x-middleware-subrequest": "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware" },
  { "x-middleware-subrequest": "middleware" },
  { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" },
  { "x-middleware-subrequest": "src/proxy:src/proxy:src/proxy:src/proxy:src/proxy" },
  { "x-matched-path": "/" },
  { "x-matched-path": "/sign-in" },
  { "x-now-route-matches": "1=account" },
  { "x-invoke-path": "/", "x-invoke-query": "%7B%7D" },
  { "x-nextjs-data": "1" },
  { "x-middleware-prefetch": "1" },
  { "next-router-prefetch": "1", rsc: "1" },
  { "x-middleware-rewrite": "/" },
  { "x-middleware-next": "1" },
];

test.describe("Next.js's internal headers from outside (CVE-2025-29927 and the like)", () => {
  for (const headers of INTERNAL_HEADERS) {
    test(`${Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join(", ")} changes nothing`, async () => {
      const plain = await fetch(`${baseURL}/account`, { redirect: "manual" });
      const bypass = await fetch(`${baseURL}/account`, { headers, redirect: "manual" });
      expect(plain.status).toBe(307);
      expect(bypass.status).toBe(307);
      expect(bypass.headers.get("location")).toBe(plain.headers.get("location"));
      expect(await bypass.text()).not.toContain("account-email");
    });
  }
});

test.describe("The benchmark's public twin of /account", () => {
  test.describe.configure({ timeout: 60_000 }); // one test starts a server of its own
  // The not-found page, not the account summary. Next.js echoes the request's own URL, query and all, in its
  // script payload: that is the asker's own query, not the account's data. The page itself never shows the email.
  const expectNobodysAccount = async (answer: Response, email: string) => {
    expect(answer.status).toBe(404);
    const html = await answer.text();
    expect(html).toContain("Page not found");
    expect(html).not.toContain("Account created");
    expect(html).not.toContain("account-email");
    expect(html.replace(/<script[\s\S]*?<\/script>/g, "")).not.toContain(email);
  };
  const twinPaths = (email: string) => ["/bench/public", `/bench/public?${new URLSearchParams({ email })}`];

  test("is a 404 on a server not started by the benchmark, and shows nobody's account", async ({ newPerson }) => {
    const { email } = await newPerson();
    for (const path of twinPaths(email)) {
      await expectNobodysAccount(await fetch(`${baseURL}${path}`, { redirect: "manual" }), email);
    }
  });

  test("is not in the product's build at all: started with BENCH_PUBLIC_PAGE=1, it still has no such page", async ({ newPerson }) => {
    const { email } = await newPerson();
    const server = await startServer({ BENCH_PUBLIC_PAGE: "1" });
    try {
      for (const path of twinPaths(email)) {
        await expectNobodysAccount(await fetch(`${server.url}${path}`, { redirect: "manual" }), email);
      }
    } finally {
      await server.stop();
    }
  });
});

test.describe("The benchmark's hash-and-insert sign-in (app/bench/sign-in/route.bench.ts and app/bench/sign-in-action/)", () => {
  test.describe.configure({ timeout: 60_000 }); // it starts a server of its own
  // It makes a session for a right password without counting the attempt: only the benchmark's build may have it.
  test("is not in the product's build at all: started with BENCH_SIGN_IN_ROUTE=1, it makes no session", async ({ newPerson }) => {
    const { email, password } = await newPerson();
    const sessionsBefore = await countLiveSessions(email);
    const server = await startServer({ BENCH_SIGN_IN_ROUTE: "1" });
    try {
      const answer = await fetch(`${server.url}/bench/sign-in`, {
        method: "POST",
        headers: { origin: server.url, "content-type": "application/json" },
        body: JSON.stringify({ email, password }),
        redirect: "manual",
      });
      expect(answer.status).toBe(404);
      // Its server action's page: no page, so no form whose action could be posted.
      const page = await fetch(`${server.url}/bench/sign-in-action`, { redirect: "manual" });
      expect(page.status).toBe(404);
      expect(await page.text()).not.toContain('name="password"');
      expect(await countLiveSessions(email)).toBe(sessionsBefore);
    } finally {
      await server.stop();
    }
  });
});

test.describe("Security headers", () => {
  const expectHardened = (headers: Headers) => {
    const csp = headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'/);
    expect(headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect(headers.get("x-content-type-options")).toBe("nosniff");
    expect(headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(headers.get("x-powered-by")).toBeNull();
  };

  test("on HTML, API, error and redirect responses, with a new nonce each time", async () => {
    const nonces = new Set<string>();
    // `/` with a query: without one a signed-out person gets the prerendered page (prerendered-pages.spec.ts).
    for (const path of ["/?from=test", "/sign-in", "/api/health", "/api/me", "/no-such-page", "/account"]) {
      const response = await fetch(`${baseURL}${path}`, { redirect: "manual" });
      expectHardened(response.headers);
      nonces.add(/'nonce-([^']+)'/.exec(response.headers.get("content-security-policy")!)![1]!);
    }
    expect(nonces.size).toBe(6);
  });

  test("on the router's own fetches too (navigations and prefetches), signed in or out", async ({ signedInAs }) => {
    const { email, cookie } = await signedInAs();
    // What the browser sends with the router's fetch() (Sec-Fetch-Dest is the browser's own, never a page's).
    const routerFetches: Record<string, string>[] = [
      { rsc: "1", "sec-fetch-dest": "empty" },
      { rsc: "1", "next-router-prefetch": "1", "sec-fetch-dest": "empty" },
    ];
    // Next.js 16 sends a router fetch without its cache-busting `_rsc` parameter to the same URL with one (307), as
    // the browser's router would have asked; both answers are ours to harden.
    const routerFetch = async (path: string, headers: Record<string, string>) => {
      const first = await fetch(`${baseURL}${path}`, { headers, redirect: "manual" });
      expectHardened(first.headers);
      const location = first.status === 307 ? new URL(first.headers.get("location")!, baseURL) : null;
      if (location === null || !location.searchParams.has("_rsc")) return first;
      expect(location.pathname).toBe(path);
      return fetch(location, { headers, redirect: "manual" });
    };
    for (const headers of routerFetches) {
      for (const [path, who] of [["/", {}], ["/sign-in", {}], ["/account", { cookie }]] as const) {
        const response = await routerFetch(path, { ...headers, ...who });
        expect(response.status, `${path} ${JSON.stringify(headers)}`).toBe(200);
        expect(response.headers.get("content-type")).toContain("text/x-component");
        expectHardened(response.headers);
        if (path === "/account" && !headers["next-router-prefetch"]) expect(await response.text()).toContain(email);
      }
    }
    // Signed out, the router's fetch of a protected page is still sent to sign in.
    const signedOut = await fetch(`${baseURL}/account`, { headers: routerFetches[0], redirect: "manual" });
    expect(signedOut.status).toBe(307);
    expect(signedOut.headers.get("location")).toContain("/sign-in");
    expectHardened(signedOut.headers);
  });

  test("a client-side navigation works under the policy", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto("/");
    const documents: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "document") documents.push(request.url());
    });
    await page.getByRole("link", { name: "Sign in" }).first().click();
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    expect(documents, "the router fetched the page: no full load").toEqual([]);
    expect(violations).toEqual([]);
  });

  test("the page's scripts carry the nonce, and the page works under the policy", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto("/sign-up");
    const nonce = /'nonce-([^']+)'/.exec(response!.headers()["content-security-policy"]!)![1];
    const scripts = await page.locator("script[src]").evaluateAll((nodes) => nodes.map((n) => (n as HTMLScriptElement).nonce));
    expect(scripts.length).toBeGreaterThan(0);
    for (const scriptNonce of scripts) expect(scriptNonce).toBe(nonce);
    await signUp(page);
    expect(violations).toEqual([]);
  });

  test("signed-in responses are never cached", async ({ signedInAs }) => {
    const { cookie } = await signedInAs();
    for (const path of ["/", "/account", "/account/sessions"]) {
      const response = await fetch(`${baseURL}${path}`, { headers: { cookie }, redirect: "manual" });
      expect(response.headers.get("cache-control")).toContain("no-store");
    }
  });
});
