// Security activity, told as the owner lives it: a sign-in from another browser mails them, "This wasn't me"
// signs everyone out and mails a reset link, and /account/activity lists what happened. Then the attacks on the
// link (spent twice, at once, altered) and on the API's paging, and, while on the account pages, the icon and an
// address that stays on one line.
import type { Browser, Page } from "@playwright/test";
import { db } from "./support/db";
import { expect, test } from "./support/fixtures";
import { hiddenFields, postForm } from "./support/forms";
import { linkTo, waitForMail } from "./support/mailbox";
import { baseURL } from "./support/server";
import { signIn, uniqueId } from "./support/users";

const NEW_SIGN_IN = "New sign-in to your Tessera account";
const RESET = "Reset your Tessera password";
const NEW_PASSWORD = "a brand new passphrase after an intrusion";
// Another browser on another system: a device this account has not signed in from.
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

/** Signs in through the form in a browser of its own, as Firefox on Windows; its page, on /account. */
async function intruderSignsIn(browser: Browser, email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext({ userAgent: FIREFOX })).newPage();
  await page.goto("/sign-in");
  await signIn(page, email, password);
  await expect(page).toHaveURL("/account");
  return page;
}

/** The owner signs in here (their first sign-in: nothing to compare with, no mail), then the intruder elsewhere. */
async function intruded(page: Page, browser: Browser, person: { email: string; password: string }) {
  await page.goto("/sign-in");
  await signIn(page, person.email, person.password);
  await expect(page).toHaveURL("/account");
  const since = Date.now();
  const intruder = await intruderSignsIn(browser, person.email, person.password);
  const mail = await waitForMail({ to: person.email, subject: NEW_SIGN_IN, after: since });
  return { intruder, mail, link: linkTo(mail, "/wasnt-me") };
}

test.describe("A sign-in from a new device", () => {
  test.describe.configure({ timeout: 90_000 });

  test("the owner is mailed, says \"This wasn't me\", the intruder is out, the reset mail arrives, and the activity page tells it all", { tag: "@db" }, async ({
    page,
    browser,
    newPerson,
  }) => {
    const person = await newPerson();
    const { intruder, mail, link } = await intruded(page, browser, person);
    expect(mail.text).toContain("Device: Firefox on Windows.");
    expect(mail.text).toMatch(/Place: .+\. Time: .+ UTC\./);
    expect(mail.text).toContain("This wasn't me:");

    // From the mail, in a browser that is signed in to nothing (the owner's phone, say).
    const phone = await (await browser.newContext()).newPage();
    const since = Date.now();
    await phone.goto(link);
    // The token left the address bar at once; opening the link changed nothing.
    await expect(phone).toHaveURL("/wasnt-me");
    await expect(phone.getByRole("heading", { name: "This wasn’t me" })).toBeVisible();
    await expect(phone.getByText(person.email)).toBeVisible();
    await intruder.goto("/account");
    await expect(intruder).toHaveURL("/account");

    await phone.getByRole("button", { name: "Sign everyone out" }).click();
    await expect(phone).toHaveURL("/sign-in?notice=wasnt-me");
    await expect(phone.getByRole("status")).toHaveText("Everyone was signed out of your account. We mailed you a link to set a new password.");

    // The intruder's browser is out, and so is the owner's own.
    await intruder.goto("/account");
    await expect(intruder).toHaveURL("/sign-in?next=%2Faccount");
    await page.goto("/account");
    await expect(page).toHaveURL("/sign-in?next=%2Faccount");

    // The reset mail arrives; the intruder's password stops working, the owner gets back in.
    const reset = await waitForMail({ to: person.email, subject: RESET, after: since });
    await phone.goto(linkTo(reset, "/reset-password"));
    await phone.getByLabel("New password").fill(NEW_PASSWORD);
    await phone.getByRole("button", { name: "Set new password" }).click();
    await expect(phone).toHaveURL("/sign-in?notice=password-changed");
    await signIn(phone, person.email, person.password);
    await expect(phone.getByRole("alert").filter({ hasText: "Invalid email or password." })).toBeVisible();
    await signIn(phone, person.email, NEW_PASSWORD);
    await expect(phone).toHaveURL("/account");

    await phone.getByRole("link", { name: "Security activity" }).click();
    await expect(phone).toHaveURL("/account/activity");
    const events = phone.getByTestId("activity-event");
    // Newest first, each thing this story did once. The failed attempt's row is written just after its answer,
    // before the sign-in that followed it.
    await expect(events.getByTestId("activity-what")).toHaveText([
      "Signed in with password",
      "A failed sign-in attempt",
      "Password reset",
      "“This wasn’t me”: every session ended, a link to set a new password mailed",
      "Signed in with password",
      "Signed in with password",
    ]);
    await expect(events.filter({ hasText: "Signed in with password" }).getByTestId("activity-device")).toContainText(["Firefox on Windows"]);
    // Beside each sign-in but this browser's: "This wasn't me".
    await expect(phone.getByRole("link", { name: "This wasn't me" })).toHaveCount(2);
    for (const context of [intruder.context(), phone.context()]) await context.close();
  });

  test("the link is spent once: opened again it is dead, and ten posts at once act once", { tag: "@db" }, async ({ page, browser, newPerson }) => {
    const person = await newPerson();
    const { intruder, link } = await intruded(page, browser, person);
    const token = new URL(link).searchParams.get("token")!;
    const cookie = `__Secure-wasnt-me-token=${token}`;
    const hidden = await hiddenFields("/wasnt-me", cookie);
    expect(hidden.length).toBeGreaterThan(0);
    const since = Date.now();

    const posts = await Promise.all(Array.from({ length: 10 }, () => postForm("/wasnt-me", {}, { cookie, hidden })));
    expect(posts.every((post) => post.status < 500)).toBe(true);
    await expect.poll(() => db.event.count({ where: { userId: person.userId, kind: "wasnt-me" } })).toBe(1);
    await waitForMail({ to: person.email, subject: RESET, after: since });
    await expect.poll(() => db.outboxMail.count({ where: { to: person.email, subject: RESET } })).toBe(1);
    await intruder.goto("/account");
    await expect(intruder).toHaveURL("/sign-in?next=%2Faccount");

    // Spent: the mail's link opens the one page for dead links.
    const later = await (await browser.newContext()).newPage();
    await later.goto(link);
    await expect(later.getByRole("heading")).toHaveText("This link has expired or was already used");
    await expect(later.getByRole("link", { name: "Reset your password instead" })).toHaveAttribute("href", "/forgot-password");
    for (const context of [intruder.context(), later.context()]) await context.close();
  });

  test("an altered or made-up link is refused and signs nobody out", async ({ page, browser, newPerson }) => {
    const person = await newPerson();
    const { intruder, link } = await intruded(page, browser, person);
    const token = new URL(link).searchParams.get("token")!;
    const flipped = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    const stranger = await (await browser.newContext()).newPage();
    for (const bad of [flipped, "x".repeat(43), "short", `${token}=`]) {
      await stranger.goto(`/wasnt-me?token=${encodeURIComponent(bad)}`);
      await expect(stranger).toHaveURL("/wasnt-me");
      await expect(stranger.getByRole("heading")).toHaveText("This link has expired or was already used");
    }
    // A post with the altered token, through the form's own fields: nothing happens.
    const hidden = await hiddenFields("/wasnt-me", `__Secure-wasnt-me-token=${token}`);
    const post = await postForm("/wasnt-me", {}, { cookie: `__Secure-wasnt-me-token=${flipped}`, hidden });
    expect(post.status).toBeLessThan(500);
    await intruder.goto("/account");
    await expect(intruder).toHaveURL("/account");
    expect(await db.event.count({ where: { userId: person.userId, kind: "wasnt-me" } })).toBe(0);
    for (const context of [intruder.context(), stranger.context()]) await context.close();
  });
});

test.describe("GET /api/me/activity", () => {
  async function tokenFor(email: string, password: string): Promise<string> {
    const answer = await fetch(new URL("/api/auth/token", baseURL), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    expect(answer.status).toBe(200);
    return ((await answer.json()) as { access_token: string }).access_token;
  }

  const activity = (token: string, cursor?: string) =>
    fetch(new URL(`/api/me/activity${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`, baseURL), { headers: { authorization: `Bearer ${token}` } });

  test("answers the token's own events, and another person's cursor reaches none of theirs", async ({ newPerson }) => {
    const [ada, bob] = [await newPerson(), await newPerson()];
    // Sign-ins enough to page through: each token endpoint call is one.
    for (let i = 0; i < 3; i++) await tokenFor(bob.email, bob.password);
    const adaToken = await tokenFor(ada.email, ada.password);
    const bobToken = await tokenFor(bob.email, bob.password);

    const mine = await activity(adaToken);
    expect(mine.status).toBe(200);
    expect(mine.headers.get("cache-control")).toContain("no-store");
    const body = (await mine.json()) as { events: { id: string; kind: string; description: string }[]; nextCursor: string | null };
    expect(body.events.map((event) => event.kind)).toEqual(["signed-in"]);
    expect(body.events[0]!.description).toBe("Signed in with password");

    // Bob's events are out of Ada's reach, cursor or not.
    const bobs = (await (await activity(bobToken)).json()) as { events: { id: string }[] };
    expect(bobs.events).toHaveLength(4);
    const bobsCursor = Buffer.from(JSON.stringify([Date.now() + 60_000, bobs.events[0]!.id])).toString("base64url");
    const crossed = (await (await activity(adaToken, bobsCursor)).json()) as { events: { id: string }[] };
    expect(crossed.events.map((event) => event.id)).toEqual(body.events.map((event) => event.id));
    expect((await activity(adaToken, "not a cursor")).status).toBe(400);
    // Times no event has: past what a Date holds, past what the databases store, before 1970. A 400 each, not a 500.
    for (const time of [9e15, 253402300800000, -1]) {
      const refused = await activity(adaToken, Buffer.from(JSON.stringify([time, "a"])).toString("base64url"));
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ error: "invalid_request" });
    }
    expect((await fetch(new URL("/api/me/activity", baseURL))).status).toBe(401);
  });
});

test.describe("While on the account pages", () => {
  test("the app has an icon: /favicon.ico and the icon every page names answer, and no page load asks for anything missing", async ({ page }) => {
    const favicon = await fetch(new URL("/favicon.ico", baseURL));
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get("content-type")).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);

    const missing: string[] = [];
    page.on("response", (response) => {
      if (response.status() === 404) missing.push(response.url());
    });
    await page.goto("/sign-in");
    const href = await page.locator('link[rel="icon"][type="image/svg+xml"]').getAttribute("href");
    expect(href).toMatch(/^\/icon\.svg/);
    const icon = await fetch(new URL(href!, baseURL));
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toContain("image/svg+xml");
    await page.waitForLoadState("networkidle");
    expect(missing).toEqual([]);
  });

  test("a 40-character email stays on one line on /account, at 360 px and at desktop width", async ({ page, signedInAs }) => {
    const email = `w-${uniqueId()}-address-x@example.com`;
    expect(email).toHaveLength(40);
    await signedInAs({ email, emailConfirmed: false });
    for (const size of [{ width: 360, height: 740 }, { width: 1280, height: 800 }]) {
      await page.setViewportSize(size);
      await page.goto("/account");
      const address = page.getByTestId("account-email");
      await expect(address).toHaveText(email);
      const box = await address.evaluate((element) => {
        const text = element.firstElementChild as HTMLElement;
        const range = document.createRange();
        range.selectNodeContents(text);
        const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
        return {
          lines,
          height: text.getBoundingClientRect().height,
          fontSize: parseFloat(getComputedStyle(text).fontSize),
          fits: text.scrollWidth <= element.clientWidth + 1 && element.scrollWidth <= element.clientWidth + 1,
        };
      });
      expect(box.lines, `${size.width} px`).toBe(1);
      // One line's box: less than two lines of its own type.
      expect(box.height, `${size.width} px`).toBeLessThan(2 * box.fontSize);
      expect(box.fits, `${size.width} px: the whole address shows`).toBe(true);
      // And "Send the link again" keeps clear of the links under it.
      const button = await page.getByRole("button", { name: "Send the link again" }).boundingBox();
      const links = await page.getByRole("navigation", { name: "Account settings" }).boundingBox();
      expect(button!.y + button!.height, `${size.width} px`).toBeLessThanOrEqual(links!.y);
    }
  });
});
