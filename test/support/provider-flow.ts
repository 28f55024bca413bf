// A provider round trip over the real route handlers, for the integration suites: the button's POST, the provider
// (the rogue one answering at once, or the real test provider's own sign-in page), and the callback, each request
// in one Browser. The suite mocks next/headers with test/support/browsers.ts.
import { expect } from "vitest";
import type { RogueNext, RogueUser } from "../../scripts/oidc-rogue-provider.mjs";
import { POST as startRoute } from "@/app/auth/[provider]/route";
import { GET as callbackRoute } from "@/app/auth/callback/[provider]/route";
import { withRogueNext } from "../../e2e/support/providers";
import { Browser } from "./browsers";
import { newAddress, newEmail, uniqueId } from "./people";

export const APP = "http://localhost:3000";
export const TX_COOKIE = "provider-sign-in";

export const newBrowser = (address = newAddress()) =>
  new Browser({ "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", "x-tessera-client-address": address, origin: APP });

const context = (provider: string) => ({ params: Promise.resolve({ provider }) });

/** The button's POST: the hand-over page's link is the authorization request; the transaction is in the cookie. */
export async function start(browser: Browser, provider: string, form: Record<string, string> = {}) {
  const request = new Request(`${APP}/auth/${provider}`, {
    method: "POST",
    body: new URLSearchParams(form),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  const response = await browser.request(() => startRoute(request, context(provider)));
  const html = await response.text();
  const href = /<a href="([^"]+)">Continue to/.exec(html)?.[1]?.replaceAll("&amp;", "&");
  return { response, html, authorizationUrl: href ? new URL(href) : null, sealed: browser.cookies.get(TX_COOKIE) };
}

/** The rogue provider signs `user` in at once and answers as `next` says: the callback's address. */
export async function atRogue(authorizationUrl: URL, next: RogueNext = {}): Promise<string> {
  const response = await fetch(withRogueNext(authorizationUrl, next), { redirect: "manual" });
  expect(response.status).toBe(302);
  return response.headers.get("location")!;
}

/** The browser comes back to the callback (with whatever cookies it holds). */
export function callback(browser: Browser, location: string | URL): Promise<Response> {
  const url = new URL(location);
  return browser.request(() => callbackRoute(new Request(url), context(url.pathname.split("/").at(-1)!)));
}

export const rogueUser = (fields: Partial<RogueUser> = {}): RogueUser => ({ sub: `sub-${uniqueId()}`, email: newEmail("google"), emailVerified: true, ...fields });

/** The whole round trip at Google (the rogue provider): start, sign in there, come back. */
export async function viaGoogle(browser: Browser, user: RogueUser, options: { form?: Record<string, string>; next?: RogueNext } = {}) {
  const { authorizationUrl } = await start(browser, "google", options.form);
  const location = await atRogue(authorizationUrl!, { user, ...options.next });
  return callback(browser, location);
}
