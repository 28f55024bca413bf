// The home page and the sign-in page a signed-out person sees are served as `next build` prerendered them, under a
// policy that allows their inline scripts by their hashes instead of a nonce (docs/decisions/0011-signed-out-pages.md).
// These stories attack that: the policy allows exactly the page's own scripts, injected script does not run, nobody
// with a cookie, a query string or a router fetch gets a prerendered page, nor can anyone ask for its route
// directly; and the sign-in page is prerendered only on a server with no sign-in providers, whose buttons it lacks.
import { createHash } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { startServer, type ExtraServer } from "../support/extra-server";
import { baseURL } from "../support/server";
import { SESSION_COOKIE } from "../support/session";
import { signIn } from "../support/users";
import { PROVIDER_VARIABLES } from "../../test/support/provider-settings";

const PRERENDERED_ROUTE = "/prerendered/home";
const SIGN_IN_ROUTE = "/prerendered/sign-in";
/** The header by which middleware asks next.config.mjs's rewrite for the prerendered page. */
const PRERENDERED_HEADER = "x-tessera-prerendered";

function scriptSources(policy: string): string[] {
  return /(?:^|;\s*)script-src ([^;]*)/.exec(policy)?.[1]?.trim().split(/\s+/) ?? [];
}

/** The CSP hash source of each inline script in the page, as a browser computes it. */
function inlineScriptHashes(html: string): string[] {
  const scripts = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(([, text]) => text!);
  return scripts.map((text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`);
}

const isNoncePolicy = (policy: string) => scriptSources(policy).some((source) => source.startsWith("'nonce-"));

/** The page's policy allows exactly its own inline scripts, by hash, with the other security headers; its HTML. */
async function expectServedPrerendered(url: string): Promise<string> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const policy = response.headers.get("content-security-policy") ?? "";
  const html = await response.text();
  const hashes = inlineScriptHashes(html);
  expect(hashes.length).toBeGreaterThan(0);
  expect(scriptSources(policy)).toEqual(["'self'", ...new Set(hashes)]);
  expect(policy).not.toContain("unsafe-inline");
  expect(policy).not.toContain("nonce-");
  for (const directive of ["default-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) {
    expect(policy).toContain(directive);
  }
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
  // The same address answers a signed-in person with their own page, and a sign-in form kept for Back would come
  // back filled in: no cache may keep this one.
  expect(response.headers.get("cache-control")).toBe("no-store");
  // Built once: the same bytes for every request.
  expect(await (await fetch(url)).text()).toBe(html);
  return html;
}

/** Script injected into the page, as an element and as an inline handler, is refused by the browser. */
async function expectInjectedScriptRefused(page: Page): Promise<void> {
  const ran = await page.evaluate(async () => {
    // Waits for the browser's verdict on both (one policy violation each), not for a length of time.
    const refused = new Promise<void>((resolve) => {
      let count = 0;
      document.addEventListener("securitypolicyviolation", () => ++count === 2 && resolve());
    });
    const script = document.createElement("script");
    script.textContent = "window.__injected = true";
    document.body.append(script);
    const handler = document.createElement("img");
    handler.setAttribute("onerror", "window.__injected = true");
    handler.src = "data:,not-an-image";
    document.body.append(handler);
    await refused;
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
}

/**
 * A page's `<main>`, without the per-request nonces on its scripts and with React's generated element ids (which
 * follow the route's place in the tree) made alike. The form's `$ACTION_KEY` is kept: a post without JavaScript
 * is answered by the page rendered per request, which finds the form's state by it.
 */
function mainOf(html: string): string {
  return (/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? "").replace(/ nonce="[^"]*"/g, "").replace(/_R_[A-Za-z0-9]+_/g, "_R_");
}

test.describe("The signed-out home page, prerendered", () => {
  test("allows exactly the page's own inline scripts, by hash, and nothing inline else", async () => {
    const html = await expectServedPrerendered(`${baseURL}/`);
    expect(html).toContain(">Sign in<");
    expect(html).toContain(">Create account<");
    expect(html).not.toContain("Go to your account");
  });

  test("works in the browser under that policy, and script injected into it does not run", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto("/");
    expect(isNoncePolicy(response!.headers()["content-security-policy"]!)).toBe(false);
    // Hydrated: the link is followed by the client router, without a new document.
    const documents: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "document") documents.push(request.url());
    });
    await page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    expect(documents).toEqual([]);
    expect(violations).toEqual([]);

    await page.goto("/");
    await expectInjectedScriptRefused(page);
  });

  test("anyone with a session cookie, good or bad, gets the page rendered for them", async ({ signedInAs }) => {
    const { cookie } = await signedInAs();
    const signedIn = await fetch(`${baseURL}/`, { headers: { cookie } });
    expect(isNoncePolicy(signedIn.headers.get("content-security-policy")!)).toBe(true);
    expect(signedIn.headers.get("cache-control")).toContain("no-store");
    expect(await signedIn.text()).toContain("Go to your account");

    // Asking for the prerendered page by the header middleware uses for it changes nothing.
    const asking = await fetch(`${baseURL}/`, { headers: { cookie, [PRERENDERED_HEADER]: PRERENDERED_ROUTE } });
    expect(isNoncePolicy(asking.headers.get("content-security-policy")!)).toBe(true);
    expect(await asking.text()).toContain("Go to your account");

    const forged = await fetch(`${baseURL}/`, { headers: { cookie: `${SESSION_COOKIE}=not.a.token` } });
    expect(isNoncePolicy(forged.headers.get("content-security-policy")!)).toBe(true);
    // The per-request page deletes the bad cookie, which a prerendered answer would have left in place.
    expect(forged.headers.get("set-cookie")).toContain(`${SESSION_COOKIE}=;`);
  });

  test("a query string, a router fetch or a post gets the page rendered per request", async () => {
    const withQuery = await fetch(`${baseURL}/?utm_source=mail`);
    expect(isNoncePolicy(withQuery.headers.get("content-security-policy")!)).toBe(true);
    expect(await withQuery.text()).toContain(">Sign in<");

    const asking = await fetch(`${baseURL}/?utm_source=mail`, { headers: { [PRERENDERED_HEADER]: PRERENDERED_ROUTE } });
    expect(isNoncePolicy(asking.headers.get("content-security-policy")!)).toBe(true);
    expect(await asking.text()).toMatch(/<script[^>]* nonce="/);

    const routerFetch = await fetch(`${baseURL}/`, { headers: { rsc: "1", "sec-fetch-dest": "empty" }, redirect: "manual" });
    expect(isNoncePolicy(routerFetch.headers.get("content-security-policy")!)).toBe(true);

    const post = await fetch(`${baseURL}/`, { method: "POST", headers: { origin: baseURL, "content-type": "text/plain" }, body: "x" });
    expect(isNoncePolicy(post.headers.get("content-security-policy")!)).toBe(true);
  });

  test("its route is not reachable directly, signed in or out", async ({ signedInAs }) => {
    const { cookie } = await signedInAs();
    for (const path of [PRERENDERED_ROUTE, `${PRERENDERED_ROUTE}?x=1`, "/prerendered/", "/prerendered/sign-in", `${PRERENDERED_ROUTE}.rsc`, `${PRERENDERED_ROUTE}/`, "/%70rerendered/home", "/prerendered/%68ome", "//prerendered/home"]) {
      for (const headers of [{}, { cookie }, { rsc: "1", "sec-fetch-dest": "empty" }] as Record<string, string>[]) {
        // Next.js itself answers a trailing slash with a redirect to the address without it: followed here.
        const response = await fetch(`${baseURL}${path}`, { headers });
        expect(response.status, `${path} ${JSON.stringify(headers)}`).toBe(404);
        expect(await response.text()).not.toContain("Sign-in done right");
      }
    }
  });
});

test.describe("The sign-in page, prerendered on a server with no sign-in providers", () => {
  // The suite's own server has providers (scripts/e2e.mjs starts them): this one is started without any.
  let server: ExtraServer;
  test.beforeAll(async () => {
    server = await startServer(Object.fromEntries(PROVIDER_VARIABLES.map((name) => [name, undefined])));
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test("allows exactly its own inline scripts by hash, and is the page a request would render", async () => {
    const html = await expectServedPrerendered(`${server.url}/sign-in`);
    expect(html).toContain('name="password"');
    expect(html).toContain("Sign in with a passkey");
    expect(html).not.toContain("Continue with");
    // The same page this server renders per request (a query string asks for that), but for the nonces.
    const rendered = await fetch(`${server.url}/sign-in?from=test`);
    expect(isNoncePolicy(rendered.headers.get("content-security-policy")!)).toBe(true);
    expect(mainOf(html)).not.toBe("");
    expect(mainOf(html)).toBe(mainOf(await rendered.text()));
    // Its route answers only through the rewrite, on this server too.
    for (const path of [SIGN_IN_ROUTE, `${SIGN_IN_ROUTE}?x=1`, `${SIGN_IN_ROUTE}.rsc`, "/prerendered/%73ign-in"]) {
      const direct = await fetch(`${server.url}${path}`);
      expect(direct.status, path).toBe(404);
      expect(await direct.text()).not.toContain('name="password"');
    }
  });

  test("a person signs in through it, with JavaScript and without, and injected script does not run", async ({ page, browser, newPerson }) => {
    const person = await newPerson();
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto(`${server.url}/sign-in`);
    expect(isNoncePolicy(response!.headers()["content-security-policy"]!)).toBe(false);
    // The page's own scripts run under its policy: the form posts through React's action, not as a new document
    // (a form whose scripts were refused would post the page away and get the same message back).
    const documents: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "document") documents.push(request.url());
    });
    await signIn(page, person.email, "the wrong password entirely");
    await expect(page.getByText("Invalid email or password.")).toBeVisible();
    expect(documents).toEqual([]);
    expect(violations).toEqual([]);
    await expectInjectedScriptRefused(page);
    await signIn(page, person.email, person.password);
    await expect(page).toHaveURL(`${server.url}/account`);
    await expect(page.getByTestId("account-email")).toHaveText(person.email);

    const noScript = await browser.newContext({ javaScriptEnabled: false });
    try {
      const plain = await noScript.newPage();
      await plain.goto(`${server.url}/sign-in`);
      // The post is answered by the page rendered per request, which must take the form's state as its own.
      await signIn(plain, person.email, "the wrong password entirely");
      await expect(plain.getByText("Invalid email or password.")).toBeVisible();
      await expect(plain.getByLabel("Email")).toHaveValue(person.email);
      await signIn(plain, person.email, person.password);
      await expect(plain).toHaveURL(`${server.url}/account`);

      // With a return path the page is rendered per request, and its form's state is found by that address.
      await noScript.clearCookies();
      await plain.goto(`${server.url}/sign-in?next=%2Faccount%2Fsecurity`);
      await signIn(plain, person.email, "the wrong password entirely");
      await expect(plain.getByText("Invalid email or password.")).toBeVisible();
      await expect(plain.getByLabel("Email")).toHaveValue(person.email);
      await signIn(plain, person.email, person.password);
      await expect(plain).toHaveURL(`${server.url}/account/security`);
    } finally {
      await noScript.close();
    }
  });

  test("a return path, a session cookie or a client's own header gets the page rendered per request", async ({ signedInAs }) => {
    const withNext = await fetch(`${server.url}/sign-in?next=%2Faccount%2Fsecurity`);
    expect(isNoncePolicy(withNext.headers.get("content-security-policy")!)).toBe(true);
    expect(await withNext.text()).toMatch(/<input[^>]*name="next"[^>]*value="\/account\/security"/);

    // Any other query, a router fetch, a post or a header of the client's own, signed out: rendered per request.
    const signedOut: [string, RequestInit][] = [
      ["/sign-in?notice=signed-out", {}],
      ["/sign-in?provider=github", { headers: { [PRERENDERED_HEADER]: SIGN_IN_ROUTE } }],
      ["/sign-in", { headers: { rsc: "1", "sec-fetch-dest": "empty" } }],
      ["/sign-in", { method: "POST", headers: { origin: server.url, "content-type": "text/plain" }, body: "x" }],
      ["/SIGN-IN", { headers: { [PRERENDERED_HEADER]: SIGN_IN_ROUTE } }],
    ];
    for (const [path, init] of signedOut) {
      const answer = await fetch(`${server.url}${path}`, { ...init, redirect: "manual" });
      expect(isNoncePolicy(answer.headers.get("content-security-policy")!), `${path} ${JSON.stringify(init)}`).toBe(true);
    }
    const head = await fetch(`${server.url}/sign-in`, { method: "HEAD" });
    expect(isNoncePolicy(head.headers.get("content-security-policy")!)).toBe(false);

    const { cookie } = await signedInAs();
    for (const headers of [{ cookie }, { cookie, [PRERENDERED_HEADER]: SIGN_IN_ROUTE }] as Record<string, string>[]) {
      // The page a signed-in person asks for sends them to their account.
      const signedIn = await fetch(`${server.url}/sign-in`, { headers, redirect: "manual" });
      expect(isNoncePolicy(signedIn.headers.get("content-security-policy")!)).toBe(true);
      expect(signedIn.headers.get("location")).toBe("/account");
    }

    const forged = await fetch(`${server.url}/sign-in`, { headers: { cookie: `${SESSION_COOKIE}=not.a.token` } });
    expect(isNoncePolicy(forged.headers.get("content-security-policy")!)).toBe(true);
    expect(forged.headers.get("set-cookie")).toContain(`${SESSION_COOKIE}=;`);
  });
});

test("on a server with sign-in providers, the sign-in page is rendered per request, with their buttons", async () => {
  const response = await fetch(`${baseURL}/sign-in`);
  expect(isNoncePolicy(response.headers.get("content-security-policy")!)).toBe(true);
  expect(await response.text()).toContain("Continue with GitHub");
});
