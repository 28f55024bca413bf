// The authenticator app, as a person lives it: set it up from the page (codes computed from the key it shows), keep
// the recovery codes, sign in with password and code, find a replayed code refused, use a recovery code once (and
// get the mail), turn it off with password and code (and get that mail). Then the same forms without JavaScript.
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { waitForMail } from "./support/mailbox";
import { decodeClaims, sessionCookie } from "./support/session";
import { Authenticator, enableTotp, readSetupKey } from "./support/totp";
import { signIn } from "./support/users";

const codeField = (page: Page) => page.getByLabel("Code", { exact: true });

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL("/");
}

async function passwordStep(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await signIn(page, email, password);
  await expect(page).toHaveURL("/sign-in/verify");
  await expect(page.getByRole("heading", { name: "Two-step sign-in" })).toBeVisible();
}

/** Sets the app up on /account/security; returns the app and the recovery codes the page showed. */
async function setUp(page: Page): Promise<{ app: Authenticator; codes: string[] }> {
  await page.goto("/account/security");
  const section = page.getByRole("region", { name: "Authenticator app" });
  await section.getByRole("button", { name: "Set up an authenticator app" }).click();
  await expect(section.getByRole("img", { name: /QR code/ }).locator("svg")).toBeVisible();
  const app = new Authenticator(await readSetupKey(page));
  expect(app.secret).toMatch(/^[A-Z2-7]{32}$/);
  await codeField(page).fill(app.wrong());
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByText("That code is not right")).toBeVisible();
  // The key stays the same after a wrong code: the app already has it.
  expect(await readSetupKey(page)).toBe(app.secret);
  await codeField(page).fill(await app.fresh());
  await page.getByRole("button", { name: "Turn on" }).click();
  const list = page.getByRole("list", { name: "Recovery codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const codes = await list.getByRole("listitem").allTextContents();
  for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
  return { app, codes };
}

test("a person sets up an authenticator app, signs in with it, and uses a recovery code once", { tag: "@db" }, async ({ page, newPerson }) => {
  test.setTimeout(180_000);
  const { email, password } = await newPerson();
  await page.goto("/sign-in");
  await signIn(page, email, password);
  await expect(page).toHaveURL("/account");

  const { app, codes } = await setUp(page);
  await expect(page.getByTestId("totp-status")).toContainText("Your authenticator app is on");
  await expect(page.getByTestId("totp-status")).toContainText("10 recovery codes are left");
  // The codes as a text file, straight from the page.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download" }).click();
  const file = readFileSync((await (await download).path())!, "utf8");
  for (const code of codes) expect(file).toContain(code);
  await waitForMail({ to: email, subject: "Two-step sign-in is on for your Tessera account" });
  // The code that turned it on made this session a two-factor one.
  expect(decodeClaims((await sessionCookie(page.context()))!.value).amr).toEqual(["pwd", "otp", "mfa"]);
  // Shown once: a reload shows no codes.
  await page.reload();
  await expect(page.getByRole("list", { name: "Recovery codes" })).toHaveCount(0);

  // Password, then code.
  await signOut(page);
  await passwordStep(page, email, password);
  expect(await sessionCookie(page.context())).toBeUndefined();
  await codeField(page).fill(await app.fresh());
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL("/account");
  expect(decodeClaims((await sessionCookie(page.context()))!.value).amr).toEqual(["pwd", "otp", "mfa"]);

  // The same code again: refused, whatever the window says.
  await signOut(page);
  await passwordStep(page, email, password);
  await codeField(page).fill(app.last());
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByText("That code is not right, or was already used.")).toBeVisible();
  await expect(page.getByText("4 tries left.")).toBeVisible();
  expect(await sessionCookie(page.context())).toBeUndefined();

  // A recovery code instead: it works, once, and the owner hears of it.
  const since = Date.now();
  await page.getByRole("link", { name: "Use a recovery code" }).click();
  await expect(page).toHaveURL("/sign-in/verify?with=recovery-code");
  await page.getByLabel("Recovery code").fill(codes[0]!);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL("/account");
  const notice = await waitForMail({ to: email, subject: "A recovery code was used to sign in to your Tessera account", after: since });
  expect(notice.text).toContain("9 recovery codes are left");

  await signOut(page);
  await passwordStep(page, email, password);
  await page.getByRole("link", { name: "Use a recovery code" }).click();
  await expect(page).toHaveURL("/sign-in/verify?with=recovery-code");
  await page.getByLabel("Recovery code").fill(codes[0]!);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByText("That recovery code is not right, or was already used.")).toBeVisible();
  await page.getByRole("link", { name: "Use a code from your app" }).click();
  await expect(page).toHaveURL("/sign-in/verify");
  await codeField(page).fill(await app.fresh());
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL("/account");
});

// A story of its own, with the app set up through lib/, so that its codes wait on fewer 30-second steps.
test("turning the authenticator app off takes the password and a code, mails the owner, and the password alone signs in again", { tag: "@db" }, async ({ page, signedInAs }) => {
  test.setTimeout(120_000);
  const person = await signedInAs({ signedInWith: "password+otp" });
  const { email, password } = person;
  const { app } = await enableTotp(person);

  // Turning it off takes the password and a code.
  await page.goto("/account/security");
  await page.getByLabel("Current password").fill("not my password at all");
  await codeField(page).fill(await app.fresh());
  await page.getByRole("button", { name: "Turn off" }).click();
  await expect(page.getByText("That is not your current password.")).toBeVisible();
  const offSince = Date.now();
  await page.getByLabel("Current password").fill(password);
  await codeField(page).fill(await app.fresh());
  await page.getByRole("button", { name: "Turn off" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your authenticator app is off." })).toBeVisible();
  await expect(page.getByRole("button", { name: "Set up an authenticator app" })).toBeVisible();
  await waitForMail({ to: email, subject: "Two-step sign-in was turned off for your Tessera account", after: offSince });

  // The password alone signs in again.
  await signOut(page);
  await page.goto("/sign-in");
  await signIn(page, email, password);
  await expect(page).toHaveURL("/account");
});

test("regenerating the recovery codes shows a new set, mails the owner, and the old set no longer signs in", async ({ page, newPerson }) => {
  test.setTimeout(120_000);
  const { email, password } = await newPerson();
  await page.goto("/sign-in");
  await signIn(page, email, password);
  await expect(page).toHaveURL("/account");
  const { codes: old } = await setUp(page);
  await page.reload();
  const since = Date.now();
  await page.getByRole("button", { name: "Regenerate recovery codes" }).click();
  const list = page.getByRole("list", { name: "Recovery codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const fresh = await list.getByRole("listitem").allTextContents();
  expect(fresh.filter((code) => old.includes(code))).toEqual([]);
  // Codes are a way in: whoever made them, the owner hears of it.
  const notice = await waitForMail({ to: email, subject: "New recovery codes were made for your Tessera account", after: since });
  expect(notice.text).toContain("The old codes no longer work.");

  await signOut(page);
  await passwordStep(page, email, password);
  await page.getByRole("link", { name: "Use a recovery code" }).click();
  await expect(page).toHaveURL("/sign-in/verify?with=recovery-code");
  await page.getByLabel("Recovery code").fill(old[1]!);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByText("That recovery code is not right")).toBeVisible();
  await page.getByLabel("Recovery code").fill(fresh[1]!);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL("/account");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a person sets up the app and signs in with a code, every form a plain post", async ({ page, newPerson }) => {
    test.setTimeout(120_000);
    const { email, password } = await newPerson();
    await page.goto("/sign-in");
    await signIn(page, email, password);
    await expect(page).toHaveURL("/account");

    const { app, codes } = await setUp(page);
    const href = await page.getByRole("link", { name: "Download" }).getAttribute("href");
    expect(href).toMatch(/^data:text\/plain;charset=utf-8,/);
    expect(decodeURIComponent(href!)).toContain(codes[0]!);
    expect(await page.getByRole("link", { name: "Download" }).getAttribute("download")).toBe("tessera-recovery-codes.txt");

    await signOut(page);
    await passwordStep(page, email, password);
    await codeField(page).fill("12");
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByText("Enter the 6-digit code your authenticator app shows.")).toBeVisible();
    await expect(codeField(page)).toHaveValue("12");
    await codeField(page).fill(await app.fresh());
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).toHaveURL("/account");

    await signOut(page);
    await passwordStep(page, email, password);
    await page.getByRole("link", { name: "Use a recovery code" }).click();
    await expect(page).toHaveURL("/sign-in/verify?with=recovery-code");
    await page.getByLabel("Recovery code").fill(codes[2]!);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).toHaveURL("/account");
  });
});
