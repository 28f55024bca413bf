// Step-up through a provider ("Confirm with …") over the real routes. Against the real test provider
// (node-oidc-provider, which honours prompt=login and max_age): a confirm makes the person sign in there again even
// with a session at the provider, moves the session's authentication time and lets a sensitive change through.
// Against the rogue provider: another identity than the connected one, or an auth_time that is not fresh, is
// refused and changes nothing.
import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/db.server";
import { changeEmail } from "@/app/account/actions";
import { EMPTY_FORM } from "@/app/_lib/form-state";
import { runAction } from "../support/actions";
import type { Browser } from "../support/browsers";
import { newEmail, PASSWORD } from "../support/people";
import { atRogue, callback, newBrowser, rogueUser, start, viaGoogle } from "../support/provider-flow";

vi.mock("next/headers", async () => (await import("../support/browsers")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const PROVIDER = () => process.env.E2E_OIDC_PROVIDER_URL!;
const HOUR_AGO = () => new Date(Date.now() - 3600_000);

/** The test provider's cookies (one browser at the provider), paths aside. */
type Jar = Map<string, string>;

async function providerFetch(jar: Jar, url: string | URL, init: RequestInit = {}): Promise<Response> {
  const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const response = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as object), cookie } });
  for (const line of response.headers.getSetCookie()) {
    const [pair, ...attributes] = line.split(";");
    const [name, value] = [pair!.slice(0, pair!.indexOf("=")), pair!.slice(pair!.indexOf("=") + 1)];
    if (attributes.some((attribute) => /expires=Thu, 01 Jan 1970/i.test(attribute)) || value === "") jar.delete(name);
    else jar.set(name, value);
  }
  return response;
}

/**
 * Follows the provider's redirects from the authorization request, signing in on its page when it shows one, until
 * it sends the browser back to the app: the callback's address, and whether the sign-in page was shown.
 */
async function atTestProvider(authorizationUrl: URL, person: { email: string; password: string }, jar: Jar) {
  let url = authorizationUrl.href;
  let loginShown = false;
  for (let hop = 0; hop < 10; hop++) {
    const response = await providerFetch(jar, url);
    if (response.status === 200) {
      const action = /<form method="post" action="([^"]+\/login)">/.exec(await response.text())?.[1];
      expect(action, "the provider's sign-in page").toBeTruthy();
      loginShown = true;
      const posted = await providerFetch(jar, new URL(action!, PROVIDER()), {
        method: "POST",
        body: new URLSearchParams({ email: person.email, password: person.password }),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      url = new URL(posted.headers.get("location")!, PROVIDER()).href;
      continue;
    }
    const location = new URL(response.headers.get("location")!, PROVIDER());
    if (location.origin !== PROVIDER()) return { location: location.href, loginShown };
    url = location.href;
  }
  throw new Error("the provider never sent the browser back");
}

async function addPerson() {
  const response = await fetch(`${PROVIDER()}/__test/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: newEmail("acme-step-up"), password: PASSWORD }),
  });
  return (await response.json()) as { email: string; password: string; sub: string };
}

/** The browser's one session row (each test's person signs in once). */
const onlySession = (userId: string) => db.session.findFirstOrThrow({ where: { userId, revokedAt: null } });

const emailChange = (browser: Browser, newAddress: string) => {
  const form = new FormData();
  form.set("newEmail", newAddress);
  return browser.request(() => runAction(() => changeEmail(EMPTY_FORM, form)));
};

describe("confirming with the connected provider", () => {
  it("asks the provider for a fresh sign-in, moves the authentication time, and lets the change through", async () => {
    const person = await addPerson();
    const jar: Jar = new Map();
    const browser = newBrowser();
    const signUp = await start(browser, "oidc");
    const signedUp = await atTestProvider(signUp.authorizationUrl!, person, jar);
    expect((await callback(browser, signedUp.location)).headers.get("location")).toBe("/account");
    const user = await db.user.findUniqueOrThrow({ where: { email: person.email } });
    expect(user.passwordHash).toBeNull();

    // An hour later the change needs a confirmation first.
    const { id: sessionId } = await onlySession(user.id);
    await db.session.update({ where: { id: sessionId }, data: { authenticatedAt: HOUR_AGO() } });
    const later = newEmail("acme-moved");
    expect(await emailChange(browser, later)).toEqual({ state: null, redirect: "/account/confirm?next=%2Faccount%2Femail" });

    const confirm = await start(browser, "oidc", { intent: "confirm", next: "/account/email" });
    expect(confirm.authorizationUrl!.searchParams.get("prompt")).toBe("login");
    expect(confirm.authorizationUrl!.searchParams.get("max_age")).toBe("0");
    const before = Date.now();
    // The provider still has this person's session from the sign-up: prompt=login makes it ask again all the same.
    const confirmed = await atTestProvider(confirm.authorizationUrl!, person, jar);
    expect(confirmed.loginShown).toBe(true);
    expect((await callback(browser, confirmed.location)).headers.get("location")).toBe("/account/email");

    const session = await db.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session.authenticatedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect((await emailChange(browser, later)).state?.notice).toContain(`A link to confirm ${later}`);
  });
});

describe("a confirmation that does not count changes nothing", () => {
  /** A person made through Google (the rogue provider), signed in an hour ago. */
  async function stalePerson() {
    const identity = rogueUser();
    const browser = newBrowser();
    await viaGoogle(browser, identity);
    const link = await db.providerAccount.findFirstOrThrow({ where: { subject: identity.sub } });
    const { id: sessionId } = await onlySession(link.userId);
    await db.session.update({ where: { id: sessionId }, data: { authenticatedAt: HOUR_AGO() } });
    const footprint = async () => ({
      session: await db.session.findUniqueOrThrow({ where: { id: sessionId }, select: { authenticatedAt: true, method: true, revokedAt: true } }),
      links: await db.providerAccount.findMany({ where: { userId: link.userId }, select: { subject: true, lastUsedAt: true } }),
      events: await db.event.count({ where: { userId: link.userId } }),
    });
    return { identity, browser, footprint };
  }

  async function confirmAtRogue(browser: Browser, next: Parameters<typeof atRogue>[1]) {
    const { authorizationUrl } = await start(browser, "google", { intent: "confirm", next: "/account/email" });
    return callback(browser, await atRogue(authorizationUrl!, next));
  }

  it("refuses another provider identity than the one connected to the account", async () => {
    const { browser, footprint } = await stalePerson();
    const before = await footprint();
    const response = await confirmAtRogue(browser, { user: rogueUser() });
    expect(response.headers.get("location")).toBe("/account/security?provider=google&notice=wrong-account");
    expect(await footprint()).toEqual(before);
    expect((await emailChange(browser, newEmail("not-moved"))).redirect).toBe("/account/confirm?next=%2Faccount%2Femail");
  });

  it("refuses the connected identity with an auth_time that is not fresh", async () => {
    const { identity, browser, footprint } = await stalePerson();
    const before = await footprint();
    const response = await confirmAtRogue(browser, { user: identity, authTime: "stale" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Google’s answer could not be verified");
    expect(await footprint()).toEqual(before);
    // The same identity, freshly signed in, does count: the refusal above was the auth_time's.
    expect((await confirmAtRogue(browser, { user: identity })).headers.get("location")).toBe("/account/email");
  });
});
