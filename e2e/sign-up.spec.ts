import { expect, test } from "@playwright/test";
import { countUsers } from "./support/db";
import { sessionCookie, decodeClaims } from "./support/session";
import { newEmail, PASSWORD, signUp } from "./support/users";

test.describe("Creating an account", () => {
  test("a new person signs up, lands on their account, and holds a hardened session cookie", async ({ page }) => {
    const email = newEmail("ada");
    await signUp(page, email);

    await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
    await expect(page.getByTestId("account-email")).toHaveText(email);
    await expect(page.getByText(/Account created/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();

    const cookie = await sessionCookie(page.context());
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });
    // Max-Age is the token's lifetime, the idle timeout: 24 hours by default, renewed while in use.
    expect(cookie!.expires - Date.now() / 1000).toBeGreaterThan(86_400 - 120);
    expect(cookie!.expires - Date.now() / 1000).toBeLessThanOrEqual(86_400 + 5);
    const claims = decodeClaims(cookie!.value);
    expect(JSON.stringify(claims)).not.toContain(email);
  });

  test("the email is trimmed and lower-cased before it is stored", { tag: "@db" }, async ({ page }) => {
    const email = newEmail("grace");
    await signUp(page, `  ${email.toUpperCase()}  `);
    await expect(page.getByTestId("account-email")).toHaveText(email);
    expect(await countUsers(email)).toBe(1);
  });

  test("an invalid email gets an inline error and nothing is stored", async ({ page }) => {
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();

    await expect(page.getByText("Enter a valid email address, like name@example.com.")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Email")).toHaveValue("not-an-email");
    expect(await countUsers("not-an-email")).toBe(0);
  });

  test("a short password gets an error naming the rule, and the typed email stays", async ({ page }) => {
    const email = newEmail("short");
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("fourteen chars");
    await page.getByRole("button", { name: "Create account" }).click();

    await expect(page.getByText("Use at least 15 characters (you typed 14).")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveValue(email);
    await expect(page).toHaveURL("/sign-up");
    expect(await countUsers(email)).toBe(0);
  });

  test("a password over 128 characters is refused with the rule", async ({ page }) => {
    const email = newEmail("long");
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("x".repeat(129));
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Use at most 128 characters.")).toBeVisible();
    expect(await countUsers(email)).toBe(0);
  });

  test("an email already taken gets a clear message and no second account", { tag: "@db" }, async ({ page, browser }) => {
    const email = newEmail("taken");
    await signUp(page, email);

    const stranger = await browser.newPage();
    await stranger.goto("/sign-up");
    await stranger.getByLabel("Email").fill(email.toUpperCase());
    await stranger.getByLabel("Password").fill("a different long password");
    await stranger.getByRole("button", { name: "Create account" }).click();

    await expect(stranger.getByText("An account with this email already exists.")).toBeVisible();
    await expect(stranger).toHaveURL("/sign-up");
    expect(await countUsers(email)).toBe(1);
    await stranger.close();
  });

  test("the submit button shows that the form is on its way", async ({ page }) => {
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill(newEmail("pending"));
    await page.getByLabel("Password").fill(PASSWORD);
    const button = page.getByRole("button", { name: "Create account" });
    // Hold the server action's response so the pending state can be seen.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/sign-up", async (route) => {
      if (route.request().method() === "POST") await held;
      await route.continue();
    });
    await button.click();
    await expect(button).toBeDisabled();
    await expect(button).toHaveAttribute("aria-busy", "true");
    release();
    await expect(page).toHaveURL("/account");
  });
});
