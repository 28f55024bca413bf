// Signing in with another account, as people live it: a new person signs up through the company's provider (Acme
// SSO, a real OpenID provider with its own sign-in page); an existing person connects GitHub from the security page,
// signs out and signs in with it; a person with an authenticator app is still asked for a code after the provider;
// disconnecting, refused when it is the last way in; `next` kept through the provider; a cancel at GitHub.
// The stories that make accounts and connections are @db: they run on PostgreSQL too (scripts/e2e.mjs).
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { waitForMail } from "./support/mailbox";
import { addProviderUser, signInAtGitHub, signInAtTestProvider } from "./support/providers";
import { enableTotp } from "./support/totp";
import { newEmail, PASSWORD, signIn, uniqueId } from "./support/users";

const ACME = "Acme SSO";

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL("/");
}

/** A browser of its own: no session here, and none at the provider either. */
async function freshPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

async function gitHubPerson(email = newEmail("octo")) {
  return addProviderUser("github", { login: `octo-${uniqueId()}`, password: PASSWORD, emails: [{ email, primary: true, verified: true }] });
}

test("a new person signs up with the company's provider, and their session says so", { tag: "@db" }, async ({ page }) => {
  const person = await addProviderUser("oidc", { email: newEmail("acme"), password: PASSWORD });
  await page.goto("/sign-up");
  await page.getByRole("button", { name: `Continue with ${ACME}` }).click();
  await signInAtTestProvider(page, person);
  await expect(page).toHaveURL("/account");
  await expect(page.getByTestId("account-email")).toHaveText(person.email);
  await page.goto("/account/sessions");
  await expect(page.getByTestId("session-method")).toHaveText(`Signed in with ${ACME}`);
  // Made through the provider, the account has no password: it confirms who it is there.
  await page.goto("/account/confirm?next=/account/security");
  await expect(page.getByRole("heading", { name: "With your password" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: `Confirm with ${ACME}` })).toBeVisible();
  // It sets a password through the reset mail, not a form asking for one it never had.
  await page.goto("/account/password");
  await expect(page.getByRole("heading", { name: "Set a password" })).toBeVisible();
  await expect(page.getByLabel("Current password")).toHaveCount(0);
  await page.getByRole("button", { name: "Mail me a link to set a password" }).click();
  await expect(page.getByText(`A link to set your password is on its way to ${person.email}.`)).toBeVisible();
});

test("an existing person connects GitHub, signs out, and signs in with it", { tag: "@db" }, async ({ page, newPerson }) => {
  const { email, password } = await newPerson();
  const octo = await gitHubPerson(newEmail("octo-other"));
  await page.goto("/sign-in");
  await signIn(page, email, password);
  await expect(page).toHaveURL("/account");
  await page.goto("/account/security");
  const section = page.getByRole("region", { name: "Connected accounts" });
  await section.getByRole("button", { name: "Connect GitHub" }).click();
  await signInAtGitHub(page, octo);
  await expect(page).toHaveURL(/\/account\/security\?provider=github&notice=connected/);
  await expect(section.getByText("GitHub is connected. You can sign in with it now.")).toBeVisible();
  await expect(section.getByTestId("connection")).toContainText(octo.emails[0]!.email);
  // The account's own address hears of it, with the way to undo it.
  const notice = await waitForMail({ to: email, subject: "GitHub was connected to your Tessera account" });
  expect(notice.links.map((link) => new URL(link).pathname)).toContain("/account/security");
  await signOut(page);

  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Continue with GitHub" }).click();
  await signInAtGitHub(page, octo);
  await expect(page).toHaveURL("/account");
  await expect(page.getByTestId("account-email")).toHaveText(email);
  await page.goto("/account/sessions");
  await expect(page.getByTestId("session-method")).toHaveText("Signed in with GitHub");
});

test("a person with an authenticator app is asked for the code after the provider", { tag: "@db" }, async ({ page, browser, newPerson }) => {
  const person = await newPerson();
  const acme = await addProviderUser("oidc", { email: newEmail("acme-totp"), password: PASSWORD });
  await page.goto("/sign-in");
  await signIn(page, person.email, person.password);
  await expect(page).toHaveURL("/account");
  await page.goto("/account/security");
  await page.getByRole("button", { name: `Connect ${ACME}` }).click();
  await signInAtTestProvider(page, acme);
  await expect(page.getByText(`${ACME} is connected.`)).toBeVisible();
  const { app } = await enableTotp(person);

  const later = await freshPage(browser);
  await later.goto("/sign-in");
  await later.getByRole("button", { name: `Continue with ${ACME}` }).click();
  await signInAtTestProvider(later, acme);
  await expect(later).toHaveURL("/sign-in/verify");
  await later.getByLabel("Code", { exact: true }).fill(await app.fresh());
  await later.getByRole("button", { name: "Verify" }).click();
  await expect(later).toHaveURL("/account");
  await later.goto("/account/sessions");
  await expect(later.getByTestId("session-method").first()).toHaveText(`Signed in with ${ACME} and authenticator app`);
});

test("disconnecting: refused for the only way in, done when another remains", { tag: "@db" }, async ({ page }) => {
  const octo = await gitHubPerson();
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Continue with GitHub" }).click();
  await signInAtGitHub(page, octo);
  await expect(page).toHaveURL("/account");
  await page.goto("/account/security");
  const section = page.getByRole("region", { name: "Connected accounts" });
  await section.getByRole("button", { name: "Disconnect" }).click();
  await expect(section.getByRole("status")).toContainText("This is your only way to sign in.");
  await expect(section.getByTestId("connection")).toHaveCount(1);

  const acme = await addProviderUser("oidc", { email: newEmail("acme-second"), password: PASSWORD });
  await section.getByRole("button", { name: `Connect ${ACME}` }).click();
  await signInAtTestProvider(page, acme);
  await expect(section.getByTestId("connection")).toHaveCount(2);
  await section.getByTestId("connection").filter({ hasText: "GitHub" }).getByRole("button", { name: "Disconnect" }).click();
  await expect(section.getByRole("status")).toHaveText("Disconnected.");
  await expect(section.getByTestId("connection")).toHaveCount(1);
});

test("`next` is kept through the provider, and a cancel at GitHub says so", async ({ page, browser }) => {
  const person = await addProviderUser("oidc", { email: newEmail("acme-next"), password: PASSWORD });
  await page.goto("/account/activity");
  await expect(page).toHaveURL("/sign-in?next=%2Faccount%2Factivity");
  await page.getByRole("button", { name: `Continue with ${ACME}` }).click();
  await signInAtTestProvider(page, person);
  await expect(page).toHaveURL("/account/activity");

  const other = await freshPage(browser);
  await other.goto("/sign-in");
  await other.getByRole("button", { name: "Continue with GitHub" }).click();
  await other.getByRole("button", { name: "Cancel" }).click();
  await expect(other.getByText("Sign-in with GitHub was cancelled.")).toBeVisible();
  await other.getByRole("link", { name: "Back" }).click();
  await expect(other).toHaveURL(/\/sign-in/);
});
