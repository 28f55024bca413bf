// Test people through the browser: signing up and in as a person would. Their data comes from test/support/people.ts.
import type { Browser, Page } from "@playwright/test";
import { expect } from "@playwright/test";
import { newEmail, PASSWORD } from "../../test/support/people";

export { newAddress, newEmail, newSubnet, PASSWORD, uniqueId } from "../../test/support/people";

/**
 * Signs up through the form, as a person would, and waits to land on the account page. `origin` names another
 * server than the suite's own (an extra instance); by default the suite's.
 */
export async function signUp(page: Page, email = newEmail(), password = PASSWORD, origin = ""): Promise<string> {
  await page.goto(`${origin}/sign-up`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(`${origin}/account`);
  return email;
}

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** The same person signed in through the form in a browser of its own (another device); its page, on /account. */
export async function signInElsewhere(browser: Browser, email: string, password = PASSWORD): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/sign-in");
  await signIn(page, email, password);
  await expect(page).toHaveURL("/account");
  return page;
}
