// Test people: a fresh email and client address per test, and a password that satisfies the default rules.
import { randomBytes, randomInt } from "node:crypto";
import type { Browser, Page } from "@playwright/test";
import { expect } from "@playwright/test";

export const PASSWORD = "correct horse battery staple";

/**
 * 64 random bits in hex: what makes a test's data its own. Tests run in parallel workers against one database
 * (and the servers they start share it too), so anything a test counts must carry an id no other test can draw.
 */
export function uniqueId(): string {
  return randomBytes(8).toString("hex");
}

export function newEmail(label = "person"): string {
  return `${label}-${uniqueId()}@example.com`;
}

/**
 * A client address no other test can draw, to send as X-Forwarded-For: 96 random bits in the IPv6 documentation
 * prefix 2001:db8::/32. No group is zero, so it is already in the canonical form the server keys its throttles by.
 */
export function newAddress(): string {
  const groups = Array.from({ length: 6 }, () => (1 + randomInt(0xffff)).toString(16));
  return `2001:db8:${groups.join(":")}`;
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
