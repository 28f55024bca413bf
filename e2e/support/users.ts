// Test people: a fresh email per test, and a password that satisfies the default rules.
import type { Browser, Page } from "@playwright/test";
import { expect } from "@playwright/test";

export const PASSWORD = "correct horse battery staple";

export function newEmail(label = "person"): string {
  return `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

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
