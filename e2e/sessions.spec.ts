// Sessions a person can see and end: every device, password changes, idle timeouts, renewal, admins.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Browser, Page } from "@playwright/test";
import { countLiveSessions, db } from "./support/db";
import { startServer } from "./support/extra-server";
import { expect, test } from "./support/fixtures";
import { baseURL } from "./support/server";
import { decodeClaims, SESSION_COOKIE, sessionCookie } from "./support/session";
import { newEmail, PASSWORD, signIn, signUp } from "./support/users";

/** The same person signed in a second time, in another browser. */
async function secondDevice(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/sign-in");
  await signIn(page, email);
  await expect(page).toHaveURL("/account");
  return page;
}

test.describe("Every device", () => {
  test.describe.configure({ timeout: 60_000 });
  test.use({ signedIn: true });
  test("the sessions page lists each device and marks this one", async ({ page, browser, person: { email } }) => {
    const phone = await secondDevice(browser, email);
    await page.goto("/account/sessions");
    await expect(page.getByTestId("session")).toHaveCount(2);
    await expect(page.getByTestId("session").filter({ hasText: "This device" })).toHaveCount(1);
    await phone.context().close();
  });

  test("'Sign out everywhere else' ends the other browser on its next navigation, and keeps this one", async ({
    page,
    browser,
    person: { email },
  }) => {
    const laptop = await secondDevice(browser, email);

    await page.goto("/account/sessions");
    await page.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect(page.getByTestId("session")).toHaveCount(1);

    await laptop.goto("/account");
    await expect(laptop).toHaveURL("/sign-in?next=%2Faccount");
    await page.goto("/account");
    await expect(page).toHaveURL("/account");
    await laptop.context().close();
  });

  test("signing out one other session from the list ends just that one", async ({ page, browser, person: { email } }) => {
    const tablet = await secondDevice(browser, email);
    await page.goto("/account/sessions");
    const other = page.getByTestId("session").filter({ hasNotText: "This device" });
    await other.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByTestId("session")).toHaveCount(1);
    await tablet.goto("/account");
    await expect(tablet).toHaveURL("/sign-in?next=%2Faccount");
    await tablet.context().close();
  });

  test("changing the password ends every other session, and the new password works", { tag: "@db" }, async ({ page, browser, person: { email } }) => {
    const laptop = await secondDevice(browser, email);

    await page.goto("/account/password");
    await page.getByLabel("Current password").fill("not my password at all");
    await page.getByLabel("New password").fill("an entirely new passphrase");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("That is not your current password.")).toBeVisible();

    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password").fill("an entirely new passphrase");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByRole("status")).toContainText("Your password was changed");

    await laptop.goto("/account");
    await expect(laptop).toHaveURL("/sign-in?next=%2Faccount");
    await signIn(laptop, email, "an entirely new passphrase");
    await expect(laptop).toHaveURL("/account");
    await laptop.context().close();
  });

  test("deleting the account needs the password, ends every session and removes the rows", { tag: "@db" }, async ({ page, browser, person: { email } }) => {
    await page.goto("/account");
    const stolen = (await sessionCookie(page.context()))!;
    const other = await secondDevice(browser, email);

    await page.goto("/account/delete");
    await page.getByLabel("Password").fill("wrong password for sure");
    await page.getByRole("button", { name: "Delete account" }).click();
    await expect(page.getByText("That is not your current password.")).toBeVisible();
    expect(await db.user.count({ where: { email } })).toBe(1);

    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Delete account" }).click();
    await expect(page).toHaveURL("/");
    expect(await db.user.count({ where: { email } })).toBe(0);
    expect(await countLiveSessions(email)).toBe(0);

    await other.goto("/account");
    await expect(other).toHaveURL("/sign-in?next=%2Faccount");
    const replay = await fetch(`${baseURL}/account`, {
      headers: { cookie: `${SESSION_COOKIE}=${stolen.value}` },
      redirect: "manual",
    });
    expect(replay.status).toBe(307);
    await other.context().close();
  });
});

test.describe("Timeouts and renewal", () => {
  // Each test starts a server of its own and waits out real timeouts.
  test.describe.configure({ timeout: 90_000 });
  test("an idle session lands on sign-in, with the way back, and its token is refused by the server", async ({ page }) => {
    const server = await startServer({ SESSION_IDLE_TIMEOUT_SECONDS: "3" });
    try {
      await signUp(page, newEmail("idle"), PASSWORD, server.url);
      const token = (await sessionCookie(page.context()))?.value;
      expect(token, "the session cookie, read before its 3-second Max-Age runs out").toBeDefined();
      const sendToken = (path: string) =>
        fetch(`${server.url}${path}`, { headers: { cookie: `${SESSION_COOKIE}=${token}` }, redirect: "manual" });
      // Fresh, the token is the way in.
      expect((await sendToken("/account")).status).toBe(200);

      // The browser forgets the cookie once its Max-Age (the idle timeout) is up.
      await expect.poll(() => sessionCookie(page.context()), { timeout: 20_000 }).toBeUndefined();
      await page.goto(`${server.url}/account`);
      await expect(page).toHaveURL(`${server.url}/sign-in?next=%2Faccount`);

      // Someone who kept the token sends it anyway: the server, not the browser, must refuse it, once it has
      // expired and the 5 s of allowed clock skew are over too (and not before).
      const { exp } = decodeClaims(token!) as { exp: number };
      let answer = await sendToken("/account");
      while (answer.status === 200) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        answer = await sendToken("/account");
      }
      expect(Date.now() / 1000).toBeGreaterThanOrEqual(exp + 5);
      expect(answer.status).toBe(307);
      expect(new URL(answer.headers.get("location")!, server.url).toString()).toBe(
        `${server.url}/sign-in?next=%2Faccount`,
      );
      const deletion = answer.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
      expect(deletion, "a Set-Cookie that deletes the session cookie").toBeDefined();
      expect(deletion).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
      expect(deletion).toMatch(/;\s*Max-Age=0(;|$)/i);
      // A page anyone may see is still served, and the dead cookie is deleted there too.
      const home = await sendToken("/");
      expect(home.status).toBe(200);
      expect(home.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=;`))).toBeDefined();
    } finally {
      await server.stop();
    }
  });

  test("activity renews the cookie, the same request's render sees the new one, and parallel renewals sign no one out", async ({
    page,
  }) => {
    // Every step must land inside a 12-second idle timeout however slow the machine: the browser comes back as soon
    // as its cookie is due for renewal (a quarter of the idle timeout, 3 s), before anything slow, and again each
    // time it is due, leaving 9 s for a page load. (When the browser's first visit came after the 16 requests
    // below, a busy machine once let its first token expire before it came back.)
    test.setTimeout(60_000);
    const idleSeconds = 12;
    const renewalAgeSeconds = idleSeconds / 4;
    const server = await startServer({ SESSION_IDLE_TIMEOUT_SECONDS: String(idleSeconds) });
    try {
      await signUp(page, newEmail("renew"), PASSWORD, server.url);
      const first = (await sessionCookie(page.context()))!.value;
      const cookie = `${SESSION_COOKIE}=${first}`;

      // Past the renewal age, well inside the timeout: once a request with it comes back renewed.
      await expect
        .poll(async () => {
          const answer = await fetch(`${server.url}/`, { headers: { cookie }, redirect: "manual" });
          return answer.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`));
        })
        .toBe(true);
      // The browser's cookie is as old: its visit now renews it, before the slow part below.
      await page.goto(`${server.url}/account`);
      await expect(page).toHaveURL(`${server.url}/account`);
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => fetch(`${server.url}/account`, { headers: { cookie }, redirect: "manual" })),
      );
      for (const answer of answers) expect(answer.status).toBe(200);

      const answer = answers[0]!;
      const renewedCookie = answer.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
      expect(renewedCookie).toBeDefined();
      const renewed = renewedCookie!.split(";")[0]!.slice(SESSION_COOKIE.length + 1);
      expect(renewed).not.toBe(first);
      const renewedExp = JSON.parse(Buffer.from(renewed.split(".")[1]!, "base64url").toString()).exp;
      // The page was rendered from the renewed cookie, not the one the browser sent.
      const html = await answer.text();
      expect(html).toContain(`dateTime="${new Date(renewedExp * 1000).toISOString()}"`);

      // Every tab's renewed cookie works, and so does the older one until it expires.
      for (const each of answers) {
        const value = each.headers.getSetCookie()[0]!.split(";")[0]!;
        const again = await fetch(`${server.url}/account`, { headers: { cookie: value }, redirect: "manual" });
        expect(again.status).toBe(200);
      }

      // In the browser, a few seconds of activity carry the session past its first token's expiry.
      const firstExpiresAt = JSON.parse(Buffer.from(first.split(".")[1]!, "base64url").toString()).exp * 1000;
      const renewalDue = async () =>
        (await sessionCookie(page.context()))!.expires * 1000 - Date.now() <= (idleSeconds - renewalAgeSeconds) * 1000;
      while (Date.now() < firstExpiresAt + 1000) {
        await expect.poll(renewalDue).toBe(true);
        await page.goto(`${server.url}/account`);
        await expect(page).toHaveURL(`${server.url}/account`);
      }
    } finally {
      await server.stop();
    }
  });
});

test.describe("Admins", () => {
  const promote = (email: string) =>
    promisify(execFile)("npm", ["run", "-s", "user:promote", "--", email], { env: process.env });

  test("a non-admin gets 404 for /admin; promotion takes effect on the next request", async ({ page, signedInAs }) => {
    // Signed in with two factors, as /admin requires of an admin: the promotion is all that changes.
    const { email } = await signedInAs({ signedInWith: "password+otp" });
    const answer = await page.goto("/admin");
    expect(answer?.status()).toBe(404);

    await promote(email);
    const again = await page.goto("/admin");
    expect(again?.status()).toBe(200);
    await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  });

  test("an admin ends a user's sessions and the user is signed out", { tag: "@db" }, async ({ page, browser, signedInAs }) => {
    const { email: adminEmail } = await signedInAs({ role: "admin" });
    const memberBrowser = await browser.newContext();
    const { email: userEmail } = await signedInAs({}, memberBrowser);
    const user = await memberBrowser.newPage();

    await page.goto("/admin");
    // The count in its own cell: the email (a timestamp) and the creation date are full of 1s and 0s.
    const headings = await page.getByRole("columnheader").allTextContents();
    const activeSessionsColumn = headings.indexOf("Active sessions");
    expect(activeSessionsColumn).toBeGreaterThan(-1);
    const row = page.getByRole("row", { name: userEmail });
    const activeSessions = row.getByRole("cell").nth(activeSessionsColumn);
    await expect(row.getByRole("cell").first()).toHaveText(userEmail);
    await expect(activeSessions).toHaveText("1");
    const adminsActiveSessions = page.getByRole("row", { name: adminEmail }).getByRole("cell").nth(activeSessionsColumn);
    await expect(adminsActiveSessions).toHaveText("1");
    await row.getByRole("button", { name: "End sessions" }).click();
    await expect(activeSessions).toHaveText("0");
    await expect(row.getByRole("button", { name: "End sessions" })).toHaveCount(0);
    // The admin's own session is not among those ended.
    await expect(adminsActiveSessions).toHaveText("1");

    await user.goto("/account");
    await expect(user).toHaveURL("/sign-in?next=%2Faccount");
    await user.context().close();
  });

  test("a signed-out visit to /admin is sent to sign in", async ({ page }) => {
    await page.goto("/admin");
    await expect(page).toHaveURL("/sign-in?next=%2Fadmin");
  });
});
