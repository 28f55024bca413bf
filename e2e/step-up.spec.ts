// The session knows how it was made: a sensitive change asks a person who signed in more than ten
// minutes ago to confirm who they are, then goes straight back; /admin opens only to a two-factor session; the
// sessions page says how each one signed in.
import { expect, test } from "./support/fixtures";
import { db, countLiveSessions } from "./support/db";
import { claimsFor, decodeClaims, sessionCookie, SESSION_COOKIE, signedToken } from "./support/session";
import { hiddenFields, postForm } from "./support/forms";
import { baseURL } from "./support/server";
import { readAbuseLimits } from "../lib/config";
import { PASSWORD, uniqueId } from "./support/users";
import { Authenticator, enableTotp, readSetupKey } from "./support/totp";

/** Moves the session's last authentication back past the 10-minute window, as if the person had been away. */
async function elevenMinutesLater(sessionId: string): Promise<void> {
  await db.session.update({ where: { id: sessionId }, data: { authenticatedAt: new Date(Date.now() - 11 * 60_000) } });
}

test.describe("Confirming who you are before a sensitive change", () => {
  test("a password change after ten minutes asks to confirm, then comes straight back to it", async ({ page, signedInAs }) => {
    const person = await signedInAs();
    await page.goto("/account/password");
    await expect(page.getByRole("heading", { name: "Change password" })).toBeVisible();

    await elevenMinutesLater(person.sessionId);
    await page.goto("/account/password");
    await expect(page).toHaveURL("/account/confirm?next=%2Faccount%2Fpassword");
    await expect(page.getByRole("heading", { name: "Confirm it’s you" })).toBeVisible();

    await page.getByLabel("Password", { exact: true }).fill("not my password at all");
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page.getByText("That is not your password.")).toBeVisible();
    await expect(page).toHaveURL(/\/account\/confirm/);

    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page).toHaveURL("/account/password");
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password").fill("a brand new passphrase here");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("Your password was changed")).toBeVisible();
  });

  for (const path of ["/account/email", "/account/delete"]) {
    test(`${path} after ten minutes goes through /account/confirm too`, async ({ page, signedInAs }) => {
      const person = await signedInAs();
      await elevenMinutesLater(person.sessionId);
      await page.goto(path);
      await expect(page).toHaveURL(`/account/confirm?next=${encodeURIComponent(path)}`);
    });
  }

  test("the action refuses too: a form opened in time and sent after ten minutes changes nothing", async ({ page, signedInAs }) => {
    const person = await signedInAs();
    await page.goto("/account/delete");
    await elevenMinutesLater(person.sessionId);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Delete account" }).click();
    await expect(page).toHaveURL("/account/confirm?next=%2Faccount%2Fdelete");
    expect(await db.user.count({ where: { id: person.userId } })).toBe(1);
  });

  test("a cookie ten minutes old cannot add an authenticator app: setting one up and turning it on ask to confirm first", async ({ page, browser, signedInAs }) => {
    const person = await signedInAs();
    const section = page.getByRole("region", { name: "Authenticator app" });
    await page.goto("/account/security");
    await section.getByRole("button", { name: "Set up an authenticator app" }).click();
    const app = new Authenticator(await readSetupKey(page));

    // The code is sent after ten minutes: the app stays off, and the session is still one factor.
    await elevenMinutesLater(person.sessionId);
    await page.getByLabel("Code", { exact: true }).fill(await app.fresh());
    await page.getByRole("button", { name: "Turn on" }).click();
    await expect(page).toHaveURL("/account/confirm?next=%2Faccount%2Fsecurity");
    expect(await db.totpFactor.findUniqueOrThrow({ where: { userId: person.userId } })).toMatchObject({ confirmedAt: null });
    expect(await db.session.findUniqueOrThrow({ where: { id: person.sessionId } })).toMatchObject({ method: "password" });
    // Nor does the page show that cookie the key of the setup in progress.
    await page.goto("/account/security");
    await expect(section.getByRole("button", { name: "Set up an authenticator app" })).toBeVisible();
    await expect(page.getByLabel("Setup key")).toHaveCount(0);
    await page.goto("/account/confirm?next=%2Faccount%2Fsecurity");

    // Whoever holds only the cookie cannot start a setup either: no key is made for them to read.
    const otherContext = await browser.newContext();
    const other = await signedInAs({}, otherContext);
    await elevenMinutesLater(other.sessionId);
    const otherPage = await otherContext.newPage();
    await otherPage.goto("/account/security");
    await otherPage.getByRole("region", { name: "Authenticator app" }).getByRole("button", { name: "Set up an authenticator app" }).click();
    await expect(otherPage).toHaveURL("/account/confirm?next=%2Faccount%2Fsecurity");
    expect(await db.totpFactor.findUnique({ where: { userId: other.userId } })).toBeNull();

    // The owner confirms with their password and comes straight back to the same setup, which then turns on.
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page).toHaveURL("/account/security");
    expect(await readSetupKey(page)).toBe(app.secret);
    await page.getByLabel("Code", { exact: true }).fill(await app.fresh());
    await page.getByRole("button", { name: "Turn on" }).click();
    await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
  });

  test("the way back is this site only: an offsite next lands on the account page", async ({ page, signedInAs }) => {
    const person = await signedInAs();
    await elevenMinutesLater(person.sessionId);
    await page.goto("/account/confirm?next=%2F%2Fevil.example%2Faccount");
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page).toHaveURL("/account");
  });

  test("works without JavaScript", async ({ browser, signedInAs }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const person = await signedInAs({}, context);
    await elevenMinutesLater(person.sessionId);
    const page = await context.newPage();
    await page.goto("/account/email");
    await expect(page).toHaveURL("/account/confirm?next=%2Faccount%2Femail");
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page).toHaveURL("/account/email");
    await context.close();
  });

  test("confirming is throttled like sign-in: a burst of wrong passwords checks at most the account's limit", { tag: "@db" }, async ({ signedInAs }) => {
    const person = await signedInAs();
    await elevenMinutesLater(person.sessionId);
    const hidden = await hiddenFields("/account/confirm?next=%2Faccount", person.cookie);
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => postForm("/account/confirm", { password: "wrong guess number x" }, { cookie: person.cookie, hidden })),
    );
    // Counted before the hash: however many arrive at once, no more than the limit are checked.
    const checked = answers.filter((answer) => answer.body.includes("That is not your password."));
    const throttled = answers.filter((answer) => answer.body.includes("Too many attempts"));
    expect(checked.length).toBeLessThanOrEqual(readAbuseLimits(process.env).signInsPerAccount);
    expect(checked.length + throttled.length).toBe(30);
    // Nothing moved: still outside the window.
    const session = await db.session.findUniqueOrThrow({ where: { id: person.sessionId } });
    expect(Date.now() - session.authenticatedAt.getTime()).toBeGreaterThan(10 * 60_000);
  });
});

test("with an authenticator app, a code confirms too, once: the same code again is refused", { tag: "@db" }, async ({ page, signedInAs }) => {
  const person = await signedInAs({ signedInWith: "password+otp" });
  const { app } = await enableTotp(person);
  await elevenMinutesLater(person.sessionId);
  await page.goto("/account/email");
  await expect(page).toHaveURL("/account/confirm?next=%2Faccount%2Femail");
  const withCode = page.getByRole("region", { name: "With your authenticator app" });
  await withCode.getByLabel("Code", { exact: true }).fill(await app.fresh());
  await withCode.getByRole("button", { name: "Confirm" }).click();
  await expect(page).toHaveURL("/account/email");

  await elevenMinutesLater(person.sessionId);
  await page.goto("/account/email");
  await withCode.getByLabel("Code", { exact: true }).fill(app.last());
  await withCode.getByRole("button", { name: "Confirm" }).click();
  await expect(withCode.getByText("That code is not right")).toBeVisible();
  await expect(page).toHaveURL(/\/account\/confirm/);
});

test.describe("Admins and their second factor", () => {
  test("a one-factor admin sets up an authenticator app and goes on to /admin without signing in again", async ({ page, signedInAs }) => {
    await signedInAs({ role: "admin", signedInWith: "password" });
    await page.goto("/admin");
    await expect(page).toHaveURL("/account/security?required=admin&next=%2Fadmin");
    const section = page.getByRole("region", { name: "Authenticator app" });
    await section.getByRole("button", { name: "Set up an authenticator app" }).click();
    const app = new Authenticator(await readSetupKey(page));
    await page.getByLabel("Code", { exact: true }).fill(await app.fresh());
    await page.getByRole("button", { name: "Turn on" }).click();
    await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
    expect(decodeClaims((await sessionCookie(page.context()))!.value).amr).toEqual(["pwd", "otp", "mfa"]);
    await page.goto("/account/security?required=admin&next=%2Fadmin");
    await page.getByRole("link", { name: "Continue to the admin pages" }).click();
    await expect(page).toHaveURL("/admin");
    await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  });

  test("an admin signed in with a password alone is sent to set up a second factor before /admin opens", async ({ page, signedInAs }) => {
    await signedInAs({ role: "admin", signedInWith: "password" });
    await page.goto("/admin");
    await expect(page).toHaveURL("/account/security?required=admin&next=%2Fadmin");
    await expect(page.getByText("Admin pages need a second factor.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Users" })).toHaveCount(0);
  });

  test("an admin signed in with two factors opens /admin; its actions need a recent authentication", async ({ page, browser, signedInAs }) => {
    const admin = await signedInAs({ role: "admin" });
    const memberContext = await browser.newContext();
    const member = await signedInAs({}, memberContext);
    await page.goto("/admin");
    await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();

    await elevenMinutesLater(admin.sessionId);
    await page.getByRole("row", { name: member.email }).getByRole("button", { name: "End sessions" }).click();
    await expect(page).toHaveURL("/account/confirm?next=%2Fadmin");
    expect(await countLiveSessions(member.email)).toBe(1);

    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page).toHaveURL("/admin");
    await page.getByRole("row", { name: member.email }).getByRole("button", { name: "End sessions" }).click();
    await expect.poll(() => countLiveSessions(member.email)).toBe(0);
    // Confirming with a password kept the session's two factors.
    expect(decodeClaims((await sessionCookie(page.context()))!.value).amr).toEqual(["pwd", "otp", "mfa"]);
    await memberContext.close();
  });

  test("a one-factor admin token with amr raised to two factors, old signature kept, is refused and signs nobody in", async ({ signedInAs }) => {
    const admin = await signedInAs({ role: "admin", signedInWith: "password" });
    const [header, payload, signature] = admin.token.split(".");
    const raised = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), amr: ["pwd", "otp", "mfa"] }));
    const tampered = `${header}.${raised.toString("base64url")}.${signature}`;
    const answer = await fetch(new URL("/admin", baseURL), { headers: { cookie: `${SESSION_COOKIE}=${tampered}` }, redirect: "manual" });
    expect(answer.status).toBe(307);
    expect(answer.headers.get("location")).toBe("/sign-in?next=%2Fadmin");
    expect(answer.headers.get("set-cookie")).toContain(`${SESSION_COOKIE}=;`);
  });

  test("amr signed with the real key but naming no session is refused by the data access layer", async ({ signedInAs }) => {
    const admin = await signedInAs({ role: "admin", signedInWith: "password" });
    // The key would have to leak for this: the session row, not the token, still says one factor.
    const forged = await signedToken(claimsFor(admin.userId, { sid: admin.sessionId, role: "admin", amr: ["pwd", "otp", "mfa"] }), { typ: "JWT" });
    const answer = await fetch(new URL("/admin", baseURL), { headers: { cookie: `${SESSION_COOKIE}=${forged}` }, redirect: "manual" });
    expect(answer.status).toBe(307);
    expect(answer.headers.get("location")).toBe("/account/security?required=admin&next=%2Fadmin");
  });
});

test("the sessions page says how each session signed in", async ({ page, signedInAs }) => {
  const person = await signedInAs();
  // Another device of theirs that signed in with a code after the password.
  await db.session.create({
    data: {
      id: `two-factor-${uniqueId()}`,
      userId: person.userId,
      kind: "browser",
      method: "password+otp",
      expiresAt: new Date(Date.now() + 3600_000),
      userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15",
    },
  });
  await page.goto("/account/sessions");
  const methods = await page.getByTestId("session-method").allTextContents();
  expect(methods.sort()).toEqual(["Signed in with password", "Signed in with password and authenticator app"]);
});
