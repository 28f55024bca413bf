// Confirming an email and changing it: the links come by real mail, and nothing changes until one is opened and
// its button pressed.
import { expect, test } from "./support/fixtures";
import { startServer, startServerExpectingFailure } from "./support/extra-server";
import { waitForMail } from "./support/mailbox";
import { newEmail, PASSWORD, signIn, signInElsewhere, signUp } from "./support/users";

/** The link to /verify-email in the newest mail to `to` with this subject. */
async function confirmationLink(to: string, subject: string): Promise<string> {
  const mail = await waitForMail({ to, subject });
  const link = mail.links.find((href) => new URL(href).pathname === "/verify-email");
  if (!link) throw new Error(`no confirmation link in:\n${mail.text}`);
  return link;
}

test.describe("Confirming an email", () => {
  test("sign-up mails a link; the account says unconfirmed until the button on the link's page is pressed", async ({ page }) => {
    const email = await signUp(page);
    await expect(page.getByTestId("email-status")).toHaveText(/Not confirmed yet/);
    const link = await confirmationLink(email, "Confirm your email");

    await page.goto(link);
    await expect(page).toHaveURL("/verify-email");
    // Opening it changed nothing yet.
    await page.goto("/account");
    await expect(page.getByTestId("email-status")).toHaveText(/Not confirmed yet/);

    await page.goto(link);
    await page.getByRole("button", { name: "Confirm email" }).click();
    await expect(page).toHaveURL("/account");
    await expect(page.getByTestId("email-status")).toHaveText("Confirmed");
    await expect(page.getByRole("button", { name: "Send the link again" })).toHaveCount(0);

    // Spent: the one page for dead links.
    await page.goto(link);
    await expect(page.getByRole("heading")).toHaveText("This link has expired or was already used");
  });

  test("'Send the link again' mails a new link that works", async ({ page, signedInAs }) => {
    const person = await signedInAs({ emailConfirmed: false });
    await page.goto("/account");
    await page.getByRole("button", { name: "Send the link again" }).click();
    await expect(page.getByRole("status")).toHaveText(`A new link is on its way to ${person.email}.`);
    await page.goto(await confirmationLink(person.email, "Confirm your email"));
    await page.getByRole("button", { name: "Confirm email" }).click();
    await expect(page.getByTestId("email-status")).toHaveText("Confirmed");
  });

  test("a confirmation link cannot reset a password", async ({ page }) => {
    const email = await signUp(page);
    const token = new URL(await confirmationLink(email, "Confirm your email")).searchParams.get("token")!;
    await page.goto(`/reset-password?token=${token}`);
    await expect(page.getByRole("heading")).toHaveText("This link has expired or was already used");
  });

  test("with REQUIRE_EMAIL_VERIFICATION, an unconfirmed account sees only the page asking to confirm", async ({ page }) => {
    test.setTimeout(90_000);
    // Its links point at the suite's APP_URL: followed here by path, as the same app behind another address.
    const server = await startServer({ REQUIRE_EMAIL_VERIFICATION: "true" });
    try {
      const email = newEmail();
      await page.goto(`${server.url}/sign-up`);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Create account" }).click();
      // A server of its own, started cold: its first renders take longer than the suite's warm one.
      await expect(page).toHaveURL(`${server.url}/account/confirm-email`, { timeout: 20_000 });
      await expect(page.getByRole("heading", { name: "Confirm your email" })).toBeVisible();
      for (const path of ["/account", "/account/sessions", "/account/password"]) {
        await page.goto(`${server.url}${path}`);
        await expect(page).toHaveURL(`${server.url}/account/confirm-email`);
      }
      // An API client of the same account gets tokens, and a 403 for anything they open.
      const tokens = await (
        await fetch(`${server.url}/api/auth/token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email, password: PASSWORD }),
        })
      ).json();
      const me = () => fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      const refused = await me();
      expect([refused.status, (await refused.json()).error]).toEqual([403, "email_unconfirmed"]);
      await page.getByRole("button", { name: "Send the link again" }).click();
      await expect(page.getByRole("status")).toHaveText(`A new link is on its way to ${email}.`);
      const link = new URL(await confirmationLink(email, "Confirm your email"));
      await page.goto(`${server.url}${link.pathname}${link.search}`);
      await page.getByRole("button", { name: "Confirm email" }).click();
      await expect(page).toHaveURL(`${server.url}/account`);
      await expect(page.getByTestId("email-status")).toHaveText("Confirmed");
      expect((await me()).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

test.describe("Changing the email", () => {
  test("the new address confirms, the old one is told, and every other session ends", { tag: "@db" }, async ({ page, browser, signedInAs }) => {
    test.setTimeout(60_000);
    const person = await signedInAs();
    const otherPage = await signInElsewhere(browser, person.email, person.password);

    const newAddress = newEmail("moved");
    await page.goto("/account");
    await page.getByRole("link", { name: "Change email" }).click();
    await page.getByLabel("New email").fill(newAddress);
    await page.getByLabel("Current password").fill(person.password);
    await page.getByRole("button", { name: "Change email" }).click();
    await expect(page.getByRole("status")).toContainText(`A link to confirm ${newAddress} is on its way`);

    const notice = await waitForMail({ to: person.email, subject: "Your Tessera email is being changed" });
    expect(notice.text).toContain(newAddress);
    // Nothing changed yet.
    await page.goto("/account");
    await expect(page.getByTestId("account-email")).toHaveText(person.email);

    await page.goto(await confirmationLink(newAddress, "Confirm your new email"));
    await expect(page.getByRole("heading", { name: "Confirm your new email" })).toBeVisible();
    await page.getByRole("button", { name: "Confirm email" }).click();
    await expect(page).toHaveURL("/account");
    await expect(page.getByTestId("account-email")).toHaveText(newAddress);
    await expect(page.getByTestId("email-status")).toHaveText("Confirmed");

    await otherPage.goto("/account");
    await expect(otherPage).toHaveURL(/\/sign-in/);
    await signIn(otherPage, person.email, person.password);
    await expect(otherPage.getByRole("alert").filter({ hasText: "Invalid email or password." })).toBeVisible();
    await signIn(otherPage, newAddress, person.password);
    await expect(otherPage).toHaveURL("/account");
    await otherPage.context().close();
  });

  test("a wrong current password, a bad address or the same address change nothing and mail nothing", async ({ page, signedInAs }) => {
    const person = await signedInAs();
    await page.goto("/account/email");
    const attempts: [string, string, string][] = [
      [newEmail(), "not my password at all", "That is not your current password."],
      ["not an email", person.password, "Enter a valid email address, like name@example.com."],
      [person.email, person.password, "That is already your email."],
    ];
    for (const [address, password, error] of attempts) {
      await page.getByLabel("New email").fill(address);
      await page.getByLabel("Current password").fill(password);
      await page.getByRole("button", { name: "Change email" }).click();
      await expect(page.getByText(error)).toBeVisible();
    }
    await page.goto("/account");
    await expect(page.getByTestId("account-email")).toHaveText(person.email);
  });

  test("an address that has an account is told so, and the person asking sees the usual answer", { tag: "@db" }, async ({ page, signedInAs, newPerson }) => {
    const person = await signedInAs();
    const other = await newPerson();
    await page.goto("/account/email");
    await page.getByLabel("New email").fill(other.email);
    await page.getByLabel("Current password").fill(person.password);
    await page.getByRole("button", { name: "Change email" }).click();
    await expect(page.getByRole("status")).toContainText(`A link to confirm ${other.email} is on its way`);
    const told = await waitForMail({ to: other.email, subject: "Someone tried to use your email on another Tessera account" });
    expect(told.links.some((href) => href.includes("token="))).toBe(false);
  });
});

test("the production build has no /dev/mail, and the API for forgotten passwords refuses bad input clearly", async ({ request }) => {
  expect((await request.get("/dev/mail")).status()).toBe(404);
  const bad = await request.post("/api/auth/forgot-password", { data: { email: "nope" } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toBe("invalid_request");
});

test("a production server without APP_URL refuses to start, and names the variable", async () => {
  const { code, output } = await startServerExpectingFailure({ APP_URL: "" });
  expect(code).not.toBe(0);
  expect(output).toContain("Tessera cannot start: APP_URL");
});
