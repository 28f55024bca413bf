// Forgetting a password, told as the person lives it: the mail comes through a real SMTP server, the link is
// followed, and everything that knew the old password is signed out.
import { expect, test } from "./support/fixtures";
import { db } from "./support/db";
import { hiddenFields, postForm } from "./support/forms";
import { waitForMail, mailsTo } from "./support/mailbox";
import { baseURL } from "./support/server";
import { newEmail, signIn, signInElsewhere } from "./support/users";

const SENT = "If an account exists for that email, a link to reset its password is on its way.";
const RESET_SUBJECT = "Reset your Tessera password";
const NEW_PASSWORD = "a brand new passphrase for tessera";

/** The reset link in the newest reset mail to this address. */
async function resetLinkFor(email: string): Promise<string> {
  const mail = await waitForMail({ to: email, subject: RESET_SUBJECT });
  const link = mail.links.find((href) => new URL(href).pathname === "/reset-password");
  if (!link) throw new Error(`no reset link in:\n${mail.text}`);
  return link;
}

async function askForResetLink(email: string): Promise<void> {
  const response = await fetch(new URL("/api/auth/forgot-password", baseURL), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email }),
  });
  expect(response.status).toBe(202);
}

test.describe("Resetting a forgotten password", () => {
  test("the person asks for a link, sets a new password, and every browser and API client is signed out", { tag: "@db" }, async ({
    page,
    browser,
    newPerson,
  }) => {
    test.setTimeout(60_000);
    const person = await newPerson();
    // Signed in elsewhere: another browser, and an API client with a refresh token.
    const otherPage = await signInElsewhere(browser, person.email, person.password);
    const tokens = await (
      await fetch(new URL("/api/auth/token", baseURL), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: person.email, password: person.password }),
      })
    ).json();

    await page.goto("/sign-in");
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await expect(page).toHaveURL("/forgot-password");
    await page.getByLabel("Email").fill(person.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByRole("status")).toHaveText(SENT);

    await page.goto(await resetLinkFor(person.email));
    // The token left the address bar at once.
    await expect(page).toHaveURL("/reset-password");
    await expect(page.getByRole("heading", { name: "Set a new password" })).toBeVisible();
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page).toHaveURL("/sign-in?notice=password-changed");
    await expect(page.getByRole("status")).toHaveText("Your password was changed. Sign in with the new one.");

    // The owner is told at their address.
    const notice = await waitForMail({ to: person.email, subject: "Your Tessera password was changed" });
    expect(notice.text).toContain("/forgot-password");

    // The other browser is out, and so is the API client, refresh token included.
    await otherPage.goto("/account");
    await expect(otherPage).toHaveURL(/\/sign-in\?next=%2Faccount$/);
    const me = await fetch(new URL("/api/me", baseURL), { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(me.status).toBe(401);
    const refresh = await fetch(new URL("/api/auth/refresh", baseURL), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refresh_token: tokens.refresh_token }),
    });
    expect(refresh.status).toBe(401);
    await otherPage.context().close();

    // The old password fails; the new one works. The link proved the email, so it counts as confirmed.
    await signIn(page, person.email, person.password);
    await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password." })).toBeVisible();
    await signIn(page, person.email, NEW_PASSWORD);
    await expect(page).toHaveURL("/account");
    await expect(page.getByTestId("email-status")).toHaveText("Confirmed");
  });

  test("opening the link, as a mail scanner does, spends nothing, and the page leaks no Referer", async ({ page, newPerson }) => {
    const person = await newPerson();
    await askForResetLink(person.email);
    const link = await resetLinkFor(person.email);

    // A scanner fetching the link, redirects and all, twice.
    for (let i = 0; i < 2; i += 1) {
      const opened = await fetch(link, { redirect: "manual" });
      expect(opened.status).toBe(303);
      expect(new URL(opened.headers.get("location")!, baseURL).href).toBe(new URL("/reset-password", baseURL).href);
      expect(opened.headers.get("referrer-policy")).toBe("no-referrer");
      const cookie = opened.headers.getSetCookie()[0]!.split(";")[0]!;
      const form = await fetch(new URL("/reset-password", baseURL), { headers: { cookie } });
      expect(form.headers.get("referrer-policy")).toBe("no-referrer");
      expect(await form.text()).toContain("Set new password");
    }

    await page.goto(link);
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page).toHaveURL("/sign-in?notice=password-changed");
  });

  test("a link works once: used again, or by two tabs at once, only the first sets a password", { tag: "@db" }, async ({ context, newPerson }) => {
    const person = await newPerson();
    await askForResetLink(person.email);
    const link = await resetLinkFor(person.email);
    const [first, second] = [await context.newPage(), await context.newPage()];
    for (const tab of [first, second]) {
      await tab.goto(link);
      await expect(tab.getByRole("button", { name: "Set new password" })).toBeVisible();
    }
    await first.getByLabel("New password").fill(`${NEW_PASSWORD} one`);
    await second.getByLabel("New password").fill(`${NEW_PASSWORD} two`);
    await Promise.all([
      first.getByRole("button", { name: "Set new password" }).click(),
      second.getByRole("button", { name: "Set new password" }).click(),
    ]);
    const outcomes = await Promise.all(
      [first, second].map(async (tab) => {
        await expect(tab.getByRole("heading")).toHaveText(/Sign in|This link has expired or was already used/);
        return (await tab.getByRole("heading").textContent()) === "Sign in";
      }),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(1);

    // Opened again afterwards: the one page for dead links, with the way to a new one.
    await first.goto(link);
    await expect(first.getByRole("heading")).toHaveText("This link has expired or was already used");
    await expect(first.getByRole("link", { name: "Ask for a new reset link" })).toHaveAttribute("href", "/forgot-password");
  });

  test("an altered, unknown, expired or malformed link gets the same page and changes nothing", async ({ page, newPerson }) => {
    const person = await newPerson();
    await askForResetLink(person.email);
    const link = new URL(await resetLinkFor(person.email));
    const token = link.searchParams.get("token")!;
    const before = await db.user.findUniqueOrThrow({ where: { id: person.userId }, select: { passwordHash: true } });
    // The form's hidden fields while the link still works: posted later, with the token dead.
    const cookie = `__Secure-reset-token=${token}`;
    const hidden = await hiddenFields("/reset-password", cookie);
    expect(hidden.length).toBeGreaterThan(0);

    // Expired: the same token with its expiry moved into the past.
    const expired = await db.oneTimeToken.updateMany({
      where: { userId: person.userId, purpose: "password-reset" },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(expired.count).toBe(1);
    const flipped = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    for (const bad of [token, flipped, "x".repeat(43), "short", `${token}=`, "%00"]) {
      await page.goto(`/reset-password?token=${encodeURIComponent(bad)}`);
      await expect(page).toHaveURL("/reset-password");
      await expect(page.getByRole("heading")).toHaveText("This link has expired or was already used");
    }
    // Posting the form with a dead token changes nothing either.
    const post = await postForm("/reset-password", { newPassword: NEW_PASSWORD }, { cookie, hidden });
    expect(post.status).toBeLessThan(500);
    const after = await db.user.findUniqueOrThrow({ where: { id: person.userId }, select: { passwordHash: true } });
    expect(after.passwordHash).toBe(before.passwordHash);
  });

  test("known and unknown emails get the same answer: status, body and mail count", async ({ newPerson }) => {
    const person = await newPerson();
    const ask = (email: string) =>
      fetch(new URL("/api/auth/forgot-password", baseURL), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email }),
      });
    const known = await ask(person.email);
    const unknown = await ask(newEmail("nobody"));
    expect([known.status, await known.text()]).toEqual([202, "{}"]);
    expect([unknown.status, await unknown.text()]).toEqual([202, "{}"]);
    expect([...known.headers.keys()].sort()).toEqual([...unknown.headers.keys()].sort());
    await waitForMail({ to: person.email, subject: RESET_SUBJECT });
  });

  test("a burst of requests for one account mails at most the limit, and every answer is the same", { tag: "@db" }, async ({ newPerson }) => {
    const person = await newPerson();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(new URL("/api/auth/forgot-password", baseURL), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: person.email }),
        }).then(async (response) => [response.status, await response.text()]),
      ),
    );
    expect(new Set(answers.map((answer) => JSON.stringify(answer)))).toEqual(new Set([JSON.stringify([202, "{}"])]));
    // Every request was counted before anything was mailed; MAILS_PER_ACCOUNT (3) of them got through.
    const throttle = await db.throttle.findUniqueOrThrow({ where: { key: `mail:${person.email}` } });
    expect(throttle.failures).toBe(20);
    await expect.poll(() => db.outboxMail.count({ where: { to: person.email } })).toBe(3);
    await expect.poll(async () => (await mailsTo(person.email)).length).toBe(3);
  });

  test("the link is built on APP_URL, whatever Host the request claimed", async ({ newPerson }) => {
    const person = await newPerson();
    const response = await fetch(new URL("/api/auth/forgot-password", baseURL), {
      method: "POST",
      headers: { "content-type": "application/json", host: "evil.example", "x-forwarded-host": "evil.example" },
      body: JSON.stringify({ email: person.email }),
    });
    expect(response.status).toBe(202);
    const link = await resetLinkFor(person.email);
    expect(new URL(link).origin).toBe(new URL(baseURL).origin);
  });

  test("the form works without JavaScript, from the request to the new password", async ({ browser, newPerson }) => {
    const person = await newPerson();
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/forgot-password");
    await page.getByLabel("Email").fill(person.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByRole("status")).toHaveText(SENT);
    await page.goto(await resetLinkFor(person.email));
    await page.getByLabel("New password").fill("short");
    await page.getByRole("button", { name: "Set new password" }).click();
    // A password the rules refuse is said, and the link still works.
    await expect(page.getByText(/at least \d+ characters/)).toBeVisible();
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page).toHaveURL("/sign-in?notice=password-changed");
    await context.close();
  });
});

