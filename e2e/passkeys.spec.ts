// Passkeys in a real Chromium with its virtual authenticator (Chrome DevTools Protocol), against the production
// build reached as http://localhost (an IP address is no relying party id): add one, rename it, sign in with it
// alone, remove it; what a passkey of one account can do to another (nothing); a captured ceremony replayed.
import type { BrowserContext, Page } from "@playwright/test";
import { request as httpClient } from "@playwright/test";
import { countLiveSessions, db } from "./support/db";
import { expect, test } from "./support/fixtures";
import { decodeClaims, sessionCookie } from "./support/session";
import { addVirtualAuthenticator, captureAction, withoutPasskeyAutofill, type VirtualAuthenticator } from "./support/webauthn";

const SECURITY = "/account/security";
/** The step-up page, where PasskeyOption offers "Use a passkey". */
const CONFIRM = "/account/confirm";

/** "Add a passkey" on /account/security, in this page's authenticator; the passkey's row once stored. */
async function addPasskey(page: Page, userId: string) {
  await page.goto(SECURITY);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByRole("status")).toContainText("Passkey added as");
  await expect(page.getByTestId("passkey")).toHaveCount(1);
  return db.passkey.findFirstOrThrow({ where: { userId } });
}

async function amrOf(context: BrowserContext): Promise<unknown> {
  const cookie = await sessionCookie(context);
  return cookie ? decodeClaims(cookie.value).amr : undefined;
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL("/");
}

/**
 * The button, not the email and password: the authenticator answers by itself. Autofill is turned off first
 * (its request would be answered too), so the button is what signs in.
 */
async function signInWithPasskey(page: Page, path = "/sign-in") {
  await withoutPasskeyAutofill(page);
  await page.goto(path);
  const button = page.getByRole("button", { name: "Sign in with a passkey" });
  await expect(button).toBeEnabled();
  await button.click();
}

test.describe("A person with a passkey", () => {
  test.use({ signedIn: true });

  test("adds one, renames it, and signs in with it alone, as two factors, in a new session", async ({ page, context, person }) => {
    await addVirtualAuthenticator(page);
    expect(await amrOf(context)).toEqual(["pwd"]);
    const passkey = await addPasskey(page, person.userId);
    // Named after this browser, as /account/sessions names devices.
    await expect(page.getByTestId("passkey-name")).toHaveText(/ on Linux$/);
    await expect(page.getByTestId("passkey-last-used")).toHaveText("not used yet");
    expect(passkey).toMatchObject({ counter: expect.any(Number), transports: "internal", deviceType: "singleDevice", backedUp: false });
    // Adding it used it: this session now counts as two factors (an admin could open /admin).
    expect(await amrOf(context)).toEqual(["hwk", "mfa"]);

    const item = page.getByRole("listitem", { name: /on Linux/ });
    await item.getByLabel("Name").fill("  Work laptop  ");
    await item.getByRole("button", { name: "Rename" }).click();
    await expect(page.getByTestId("passkey-name")).toHaveText("Work laptop");
    await page.reload();
    await expect(page.getByRole("listitem", { name: "Work laptop" })).toBeVisible();

    await signOut(page);
    await signInWithPasskey(page, "/sign-in?next=%2Faccount%2Fsecurity");
    await expect(page).toHaveURL(SECURITY);
    await expect(page.getByTestId("passkey-last-used")).not.toHaveText("not used yet");

    const cookie = await sessionCookie(context);
    const claims = decodeClaims(cookie!.value);
    expect(claims.sub).toBe(person.userId);
    expect(claims.amr).toEqual(["hwk", "mfa"]);
    // A new session, not the one signed out: no fixation.
    expect(claims.sid).not.toBe(person.sessionId);
    const session = await db.session.findUniqueOrThrow({ where: { id: String(claims.sid) } });
    expect(session).toMatchObject({ userId: person.userId, method: "passkey", revokedAt: null });
    const used = await db.passkey.findUniqueOrThrow({ where: { id: passkey.id } });
    expect(used.counter).toBeGreaterThan(passkey.counter);
    expect(used.lastUsedAt).not.toBeNull();
  });

  test("the browser's autofill offers it in the email field and signs in with it, nothing clicked", async ({ page, context, person }) => {
    await addVirtualAuthenticator(page);
    await addPasskey(page, person.userId);
    await signOut(page);
    const sessions = await countLiveSessions(person.email);
    // The field that offers passkeys, as the server sends it: read from the page in the browser, it may already
    // be gone, since the autofill can sign in and leave for /account before a check gets to it.
    const signInPage = await (await page.request.get("/sign-in")).text();
    expect(signInPage.match(/<input[^>]*\bname="email"[^>]*>/)?.[0]).toMatch(/\bautocomplete="username webauthn"/i);
    await page.goto("/sign-in");
    // The virtual authenticator picks the passkey the conditional request offers, as a person would in the list.
    await expect(page).toHaveURL("/account");
    await expect(page.getByTestId("account-email")).toHaveText(person.email);
    expect(await amrOf(context)).toEqual(["hwk", "mfa"]);
    expect(await countLiveSessions(person.email)).toBe(sessions + 1);
  });

  test("lands on /account by default, and a next that leaves the site is ignored", async ({ page, person }) => {
    await addVirtualAuthenticator(page);
    await addPasskey(page, person.userId);
    await signOut(page);
    await signInWithPasskey(page, "/sign-in?next=https%3A%2F%2Fevil.example%2F");
    await expect(page).toHaveURL("/account");
    await expect(page.getByTestId("account-email")).toHaveText(person.email);

    // The page never hands an unsafe next to the button; the action checks again what it is sent.
    await signOut(page);
    let rewritten = false;
    await page.route("**/sign-in**", async (route) => {
      const body = route.request().postData();
      if (route.request().method() !== "POST" || !body?.includes("authenticatorData")) return route.continue();
      const postData = body.replace(/,"\/account"\]$/, ',"//evil.example/"]');
      rewritten = postData !== body;
      await route.continue({ postData });
    });
    await signInWithPasskey(page);
    await expect(page).toHaveURL("/account");
    expect(rewritten).toBe(true);
  });

  test("removes it with a fresh authentication, and it signs in no more", async ({ page, context, person }) => {
    const authenticator = await addVirtualAuthenticator(page);
    await addPasskey(page, person.userId);
    await page.getByRole("listitem").getByRole("button", { name: "Remove" }).click();
    await expect(page.getByText("You have no passkeys yet.")).toBeVisible();
    expect(await db.passkey.count({ where: { userId: person.userId } })).toBe(0);

    await signOut(page);
    // The browser still holds the credential; the site no longer knows it.
    expect(await authenticator.credentials()).toHaveLength(1);
    await signInWithPasskey(page);
    await expect(page.getByRole("alert").filter({ hasText: "That passkey could not sign you in." })).toBeVisible();
    await expect(page).toHaveURL("/sign-in");
    expect(await sessionCookie(context)).toBeUndefined();
  });

  test("removing it, or adding one, on a session authenticated over 10 minutes ago goes through /account/confirm first", async ({
    page,
    person,
  }) => {
    await addVirtualAuthenticator(page);
    const passkey = await addPasskey(page, person.userId);
    await db.session.update({ where: { id: person.sessionId }, data: { authenticatedAt: new Date(Date.now() - 11 * 60_000) } });

    await page.reload();
    await page.getByRole("listitem").getByRole("button", { name: "Remove" }).click();
    await expect(page).toHaveURL(`/account/confirm?next=${encodeURIComponent(SECURITY)}`);
    expect(await db.passkey.findUnique({ where: { id: passkey.id } })).not.toBeNull();

    await page.goto(SECURITY);
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await expect(page).toHaveURL(`/account/confirm?next=${encodeURIComponent(SECURITY)}`);
    expect(await db.passkey.count({ where: { userId: person.userId } })).toBe(1);
  });
});

test.describe("Two accounts", () => {
  test("a passkey of account A signs in A only, and B's account holds nothing of A's", { tag: "@db" }, async ({ page, browser, signedInAs }) => {
    const ada = await signedInAs();
    const adaAuthenticator = await addVirtualAuthenticator(page);
    const adaPasskey = await addPasskey(page, ada.userId);

    // Bob, in another browser, holding a copy of Ada's passkey (same private key, same user handle).
    const bobContext = await browser.newContext();
    const bob = await signedInAs({}, bobContext);
    const bobPage = await bobContext.newPage();
    const bobAuthenticator: VirtualAuthenticator = await addVirtualAuthenticator(bobPage);
    const [credential] = await adaAuthenticator.credentials();
    await bobAuthenticator.addCredential(credential!);

    await bobPage.goto(SECURITY);
    await expect(bobPage.getByText("You have no passkeys yet.")).toBeVisible();

    // Signed out, the copied passkey signs in its owner, Ada, never Bob.
    await bobContext.clearCookies();
    await signInWithPasskey(bobPage);
    await expect(bobPage).toHaveURL("/account");
    await expect(bobPage.getByTestId("account-email")).toHaveText(ada.email);
    expect(decodeClaims((await sessionCookie(bobContext))!.value).sub).toBe(ada.userId);

    // Bob's user handle put on Ada's assertion (the request rewritten on its way): refused, nobody signed in.
    await bobContext.clearCookies();
    const bobHandle = Buffer.from(bob.userId, "utf8").toString("base64url");
    let rewritten = false;
    await bobPage.route("**/sign-in**", async (route) => {
      const body = route.request().postData();
      if (route.request().method() !== "POST" || !body?.includes("authenticatorData")) return route.continue();
      const postData = body.replace(/"userHandle":"[^"]*"/, `"userHandle":"${bobHandle}"`);
      rewritten = postData !== body;
      await route.continue({ postData });
    });
    const bobSessions = await countLiveSessions(bob.email);
    await signInWithPasskey(bobPage);
    await expect(bobPage.getByRole("alert").filter({ hasText: "That passkey could not sign you in." })).toBeVisible();
    expect(await sessionCookie(bobContext)).toBeUndefined();
    expect(await countLiveSessions(bob.email)).toBe(bobSessions);
    expect(rewritten).toBe(true);

    expect(await db.passkey.count({ where: { userId: bob.userId } })).toBe(0);
    expect((await db.passkey.findUniqueOrThrow({ where: { id: adaPasskey.id } })).userId).toBe(ada.userId);
    await bobContext.close();
  });
});

test.describe("Confirming with a passkey (step-up)", () => {
  test("takes the person's own passkey and goes back; another account's, put in its place, is refused", async ({
    page,
    context,
    browser,
    signedInAs,
  }) => {
    const bob = await signedInAs();
    // Ada, elsewhere, with a passkey of her own, copied into Bob's authenticator.
    const adaContext = await browser.newContext();
    const ada = await signedInAs({}, adaContext);
    const adaPage = await adaContext.newPage();
    const adaAuthenticator = await addVirtualAuthenticator(adaPage);
    const adaPasskey = await addPasskey(adaPage, ada.userId);
    const bobAuthenticator = await addVirtualAuthenticator(page);
    const bobPasskey = await addPasskey(page, bob.userId);
    await bobAuthenticator.addCredential((await adaAuthenticator.credentials())[0]!);
    const aged = new Date(Date.now() - 11 * 60_000);
    await db.session.update({ where: { id: bob.sessionId }, data: { authenticatedAt: aged } });

    // The options the server sent (Bob's passkeys only) rewritten on their way to name Ada's instead.
    let swapped = false;
    await page.route(`**${CONFIRM}**`, async (route) => {
      if (route.request().method() !== "POST" || !route.request().headers()["next-action"]) return route.continue();
      const response = await route.fetch();
      const body = await response.text();
      swapped ||= body.includes(bobPasskey.id);
      await route.fulfill({ response, body: body.replaceAll(bobPasskey.id, adaPasskey.id) });
    });
    await page.goto(`${CONFIRM}?next=${encodeURIComponent(SECURITY)}`);
    await page.getByRole("button", { name: "Use a passkey" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "That passkey could not confirm it is you." })).toBeVisible();
    expect(swapped).toBe(true);
    expect((await db.session.findUniqueOrThrow({ where: { id: bob.sessionId } })).authenticatedAt).toEqual(aged);
    expect((await db.passkey.findUniqueOrThrow({ where: { id: adaPasskey.id } })).lastUsedAt).toBeNull();

    // Bob's own passkey: confirmed, and straight back to what he was doing, which now goes through.
    await page.unroute(`**${CONFIRM}**`);
    await page.getByRole("button", { name: "Use a passkey" }).click();
    await expect(page).toHaveURL(SECURITY);
    const session = await db.session.findUniqueOrThrow({ where: { id: bob.sessionId } });
    expect(Date.now() - session.authenticatedAt.getTime()).toBeLessThan(60_000);
    expect(await amrOf(context)).toEqual(["hwk", "mfa"]);
    await page.getByRole("listitem").getByRole("button", { name: "Remove" }).click();
    await expect(page.getByText("You have no passkeys yet.")).toBeVisible();
    await adaContext.close();
  });

  test("is not offered to a person without a passkey", async ({ page, signedInAs }) => {
    await signedInAs();
    await page.goto(`${CONFIRM}?next=${encodeURIComponent(SECURITY)}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirm it’s you");
    await expect(page.getByRole("button", { name: "Use a passkey" })).toHaveCount(0);
  });
});

test.describe("A replayed ceremony", () => {
  test.use({ signedIn: true });

  test("a captured passkey sign-in sent again over HTTP is refused and starts no session", { tag: "@db" }, async ({ page, person, baseURL }) => {
    await addVirtualAuthenticator(page);
    await addPasskey(page, person.userId);
    await signOut(page);

    const captured = captureAction(page, "authenticatorData");
    await signInWithPasskey(page);
    await expect(page).toHaveURL("/account");
    const { url, headers, body } = await captured;
    const sessions = await countLiveSessions(person.email);

    const attacker = await httpClient.newContext({ baseURL });
    const replay = await attacker.post(url, {
      headers: { "content-type": headers["content-type"]!, "next-action": headers["next-action"]!, origin: new URL(url).origin, accept: "text/x-component" },
      data: body,
    });
    expect(replay.status()).toBe(200);
    const text = await replay.text();
    expect(text).toContain("That request has expired. Please try again.");
    expect(replay.headers()["set-cookie"] ?? "").not.toContain("session=");
    expect(await countLiveSessions(person.email)).toBe(sessions);
    await attacker.dispose();
  });
});

test.describe("Without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the passkey buttons are disabled and say why; the password form is untouched", async ({ page, signedInAs }) => {
    await page.goto("/sign-in");
    await expect(page.getByRole("button", { name: "Sign in with a passkey" })).toBeDisabled();
    await expect(page.getByText("Passkeys need JavaScript")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveAttribute("autocomplete", "username webauthn");
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeEnabled();

    await signedInAs();
    await page.goto(SECURITY);
    await expect(page.getByRole("button", { name: "Add a passkey" })).toBeDisabled();
    await expect(page.getByText("Passkeys need JavaScript")).toBeVisible();
  });
});
