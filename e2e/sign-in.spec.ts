import { OFFSITE_RETURN_PATHS } from "../test/support/offsite-return-paths";
import { expect, test } from "./support/fixtures";
import { newEmail, PASSWORD, signIn, signUp } from "./support/users";

test.describe("Signing in", () => {
  let email: string;

  test.beforeAll(async ({ browser }) => {
    const page = await browser.newPage();
    email = await signUp(page, newEmail("returning"));
    await page.close();
  });

  test("a wrong password and an unknown email get the same alert", async ({ page }) => {
    await page.goto("/sign-in");
    await signIn(page, email, "not the password at all");
    // Next.js keeps an empty route announcer with role alert on every page; ours is the one with text.
    await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password." })).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveValue(email);

    await page.goto("/sign-in");
    await signIn(page, newEmail("nobody"), PASSWORD);
    await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password." })).toBeVisible();
    await expect(page).toHaveURL("/sign-in");
  });

  test("the right password signs in and lands on the account page", async ({ page }) => {
    await page.goto("/sign-in");
    await signIn(page, email.toUpperCase());
    await expect(page).toHaveURL("/account");
    await expect(page.getByTestId("account-email")).toHaveText(email);
  });

  test("a signed-out visit to /account is sent to sign in, and comes back there afterwards", async ({ page }) => {
    const response = await page.request.get("/account?tab=profile", { maxRedirects: 0 });
    expect(response.status()).toBe(307);
    expect(response.headers().location).toBe("/sign-in?next=%2Faccount%3Ftab%3Dprofile");

    await page.goto("/account");
    await expect(page).toHaveURL("/sign-in?next=%2Faccount");

    await page.goto("/account?tab=profile");
    await signIn(page, email);
    await expect(page).toHaveURL("/account?tab=profile");
  });

  // Links a stranger could send: each would leave the site once a browser or a proxy resolved it.
  for (const next of OFFSITE_RETURN_PATHS) {
    test(`a next of ${JSON.stringify(next)} is ignored`, async ({ page }) => {
      await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
      await signIn(page, email);
      await expect(page).toHaveURL("/account");
    });
  }

  test.describe("when already signed in", () => {
    test.use({ signedIn: true });

    test("the sign-in and sign-up pages send the person to their account", async ({ page }) => {
      await page.goto("/sign-in");
      await expect(page).toHaveURL("/account");
      await page.goto("/sign-up");
      await expect(page).toHaveURL("/account");
      await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
    });
  });
});
