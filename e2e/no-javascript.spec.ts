// The forms are plain form posts: everything works with JavaScript turned off.
import { expect, test } from "@playwright/test";
import { newEmail, PASSWORD, signIn } from "./support/users";

test.use({ javaScriptEnabled: false });

test("without JavaScript a person signs up, signs out, and signs back in", async ({ page }) => {
  const email = newEmail("nojs");
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 15 characters (you typed 5).")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(email);

  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL("/account");
  await expect(page.getByTestId("account-email")).toHaveText(email);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL("/");

  await page.goto("/sign-in");
  await signIn(page, email, "the wrong password entirely");
  await expect(page.getByText("Invalid email or password.")).toBeVisible();
  await signIn(page, email);
  await expect(page).toHaveURL("/account");
});
