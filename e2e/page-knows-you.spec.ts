// A page that knows you: the header says who is signed in, the sessions page names devices and
// places as a person would, and dates are in the reader's own language and time zone.
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { formatDateTime } from "../app/_lib/format";
import { db } from "./support/db";
import { startServer } from "./support/extra-server";
import { baseURL } from "./support/server";
import { claimsFor, decodeClaims, SESSION_COOKIE, sessionCookie, signedToken } from "./support/session";
import { PASSWORD, signIn, signUp } from "./support/users";

const DESKTOP_CHROME =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

const accountNav = (page: Page) => page.getByRole("banner").getByRole("navigation", { name: "Account" });

/** The same person signed in from another browser, which says it is `userAgent`. */
async function signInElsewhere(browser: Browser, email: string, userAgent: string): Promise<Page> {
  const page = await (await browser.newContext({ userAgent })).newPage();
  await page.goto("/sign-in");
  await signIn(page, email);
  await expect(page).toHaveURL("/account");
  return page;
}

test.describe("The header", () => {
  test("signed out, offers Sign in and Create account, as the home page does", async ({ page }) => {
    await page.goto("/");
    const nav = accountNav(page);
    await expect(nav.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/sign-in");
    await expect(nav.getByRole("link", { name: "Create account" })).toHaveAttribute("href", "/sign-up");
    await expect(nav.getByRole("button")).toHaveCount(0);
    await expect(page.getByRole("main").getByRole("link", { name: "Sign in" })).toBeVisible();
  });

  test("signed in, shows the email and Account, and the home page offers the account instead of sign-in", async ({
    page,
  }) => {
    const email = await signUp(page);
    const nav = accountNav(page);
    await expect(nav).toContainText(email);
    await expect(nav.getByRole("link", { name: "Sign in" })).toHaveCount(0);

    await page.goto("/");
    await expect(accountNav(page)).toContainText(email);
    await expect(page.getByRole("main").getByRole("link", { name: "Sign in" })).toHaveCount(0);
    await expect(page.getByRole("main").getByRole("link", { name: "Create account" })).toHaveCount(0);
    await page.getByRole("main").getByRole("link", { name: "Go to your account" }).click();
    await expect(page).toHaveURL("/account");

    await page.goto("/");
    await accountNav(page).getByRole("link", { name: "Account", exact: true }).click();
    await expect(page).toHaveURL("/account");
  });

  test("'Sign out' in the header ends the session, from any page", async ({ page }) => {
    await signUp(page);
    const { sid } = decodeClaims((await sessionCookie(page.context()))!.value) as { sid: string };
    await page.goto("/account/password");
    await accountNav(page).getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL("/");
    expect(await sessionCookie(page.context())).toBeUndefined();
    expect((await db.session.findUniqueOrThrow({ where: { id: sid } })).revokedAt).toBeInstanceOf(Date);
    await expect(accountNav(page).getByRole("link", { name: "Sign in" })).toBeVisible();
    await expect(page.getByRole("main").getByRole("link", { name: "Sign in" })).toBeVisible();
  });

  test("with the database out of reach, pages still render: signed-out links without a cookie, no guess with one", async () => {
    test.setTimeout(60_000);
    const server = await startServer({ DATABASE_URL: "file:/nonexistent-tessera-dir/db.sqlite" });
    try {
      const header = (html: string) => html.match(/<header[\s\S]*?<\/header>/)?.[0] ?? "";
      // No cookie: nothing to look up, so the outage does not show.
      const anonymous = await fetch(`${server.url}/`);
      expect(anonymous.status).toBe(200);
      const anonymousHeader = header(await anonymous.text());
      expect(anonymousHeader).toContain('href="/sign-in"');
      expect(anonymousHeader).toContain('href="/sign-up"');

      // A well-signed cookie whose session cannot be checked: neither "signed in" nor "signed out" is claimed.
      const cookie = `${SESSION_COOKIE}=${await signedToken(claimsFor("some-user"))}`;
      for (const [path, status] of [["/", 200], ["/no-such-page", 404]] as const) {
        const answer = await fetch(`${server.url}${path}`, { headers: { cookie } });
        expect(answer.status).toBe(status);
        const html = await answer.text();
        expect(html).toContain("Tessera");
        expect(header(html)).not.toContain("Sign out");
        expect(header(html)).not.toContain('href="/sign-in"');
      }
    } finally {
      await server.stop();
    }
  });
});

test.describe("The sessions page", () => {
  test("names each device and where it is, not its User-Agent", async ({ page, browser }) => {
    test.setTimeout(60_000);
    const email = await signUp(page);
    const laptop = await signInElsewhere(browser, email, DESKTOP_CHROME);
    const api = await fetch(`${baseURL}/api/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "curl/8.5.0" },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(api.status).toBe(200);

    await page.goto("/account/sessions");
    const sessions = page.getByTestId("session");
    await expect(sessions).toHaveCount(3);
    const devices = sessions.getByTestId("session-device");
    // Playwright's Chromium runs headless and says so in its User-Agent ("HeadlessChrome"): a person should see
    // that an automated browser is signed in to their account, not an ordinary Chrome.
    const ownUserAgent = await page.evaluate(() => navigator.userAgent);
    expect(ownUserAgent).toContain("HeadlessChrome");
    const own = sessions.filter({ hasText: "This device" });
    await expect(own.getByTestId("session-device")).toHaveText("Headless Chrome on Linux");
    // In any order: the list is by last activity, which a minute's precision can leave tied.
    expect((await devices.allInnerTexts()).sort()).toEqual(["Chrome on Linux", "Headless Chrome on Linux", "curl"]);
    // Every one of them came from this machine (the server's loopback address).
    for (const session of await sessions.all()) await expect(session).toContainText("from this machine");
    await expect(page.getByRole("main")).not.toContainText("Mozilla/5.0");
    await expect(page.getByRole("main")).not.toContainText("curl/8.5.0");
    await laptop.context().close();
  });
});

/** The date shown by a <time>, as its datetime attribute says. */
async function shownDate(page: Page, testId: string): Promise<Date> {
  return new Date((await page.getByTestId(testId).getAttribute("datetime"))!);
}

test.describe("Dates", () => {
  test("are in the browser's language and time zone", async ({ browser, signedInAs }) => {
    const context = await browser.newContext({ timezoneId: "Asia/Tokyo", locale: "ja-JP" });
    const page = await context.newPage();
    // A hydration mismatch shows up in production as a (minified) React error in the console.
    const reactErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" && /react|hydrat/i.test(message.text())) reactErrors.push(message.text());
    });
    page.on("pageerror", (error) => reactErrors.push(error.message));
    await signUp(page);
    const expiry = page.getByTestId("session-expiry");
    const at = await shownDate(page, "session-expiry");
    // Tokyo's wall clock for that instant, figured here and not by the page.
    const tokyo = Object.fromEntries(
      new Intl.DateTimeFormat("en-GB", {
        timeZone: "Asia/Tokyo",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      })
        .formatToParts(at)
        .map((part) => [part.type, part.value]),
    );
    await expect(expiry).toContainText(`${tokyo.year}年${Number(tokyo.month)}月${Number(tokyo.day)}日`);
    await expect(expiry).toContainText(`${Number(tokyo.hour)}:${tokyo.minute}`);
    await expect(expiry).toContainText("JST");
    await expect(expiry).toHaveAttribute("lang", /^ja/);

    // Everywhere a date is shown: the account, the sessions list, the admin's users (as an admin who signed in
    // with two factors, whom /admin opens to).
    for (const path of ["/account", "/account/sessions", "/admin"]) {
      if (path === "/admin") await signedInAs({ role: "admin" }, context);
      await page.goto(path);
      const times = page.getByRole("main").locator("time");
      await expect(times.first()).toContainText("JST");
      for (const time of await times.all()) {
        await expect(time).toContainText("JST");
        await expect(time).not.toContainText("UTC");
      }
    }
    expect(reactErrors).toEqual([]);
    await context.close();
  });

  test("without JavaScript, are the server's UTC, each in a <time> that names its instant", async ({ browser }) => {
    const context = await browser.newContext({ timezoneId: "Asia/Tokyo", locale: "ja-JP", javaScriptEnabled: false });
    const page = await context.newPage();
    await signUp(page);
    const at = await shownDate(page, "session-expiry");
    await expect(page.getByTestId("session-expiry")).toHaveText(formatDateTime(at));
    // The sessions list too: signed in, last active.
    await page.goto("/account/sessions");
    const times = page.getByRole("main").locator("time");
    await expect(times).toHaveCount(2);
    for (const time of await times.all()) {
      await expect(time).toHaveText(formatDateTime(new Date((await time.getAttribute("datetime"))!)));
    }
    await context.close();
  });
});
