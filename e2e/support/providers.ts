// The identity providers scripts/e2e.mjs starts (scripts/identity-providers.mjs), driven from a story: add a person
// at the OpenID provider or GitHub, tell the rogue provider (the suite's Google) what to answer, sign in on the
// providers' own pages.
//
//   const person = await addProviderUser("oidc", { email, password: PASSWORD });
//   await page.getByRole("button", { name: "Continue with Acme SSO" }).click();
//   await signInAtTestProvider(page, person);
//   await expect(page).toHaveURL(/\/account/);
//
// The rogue provider is shared by every worker: controlRogue() changes it for all of them until resetRogue(). A
// story that sends the authorization request itself (plain fetch) uses withRogueNext() instead, for that one.
import type { Page } from "@playwright/test";
import type { GitHubTestUser } from "../../scripts/github-stub.mjs";
import type { RogueNext } from "../../scripts/oidc-rogue-provider.mjs";
import type { StoredUser, TestUser } from "../../scripts/oidc-test-provider.mjs";

type Control = "E2E_OIDC_PROVIDER_URL" | "E2E_ROGUE_PROVIDER_URL" | "E2E_GITHUB_URL";

async function post<T>(variable: Control, path: string, body: unknown): Promise<T> {
  const base = process.env[variable];
  if (!base) throw new Error(`${variable} is not set: run the suite through scripts/e2e.mjs, which starts the identity providers.`);
  const response = await fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${base}${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Adds a person at the OpenID provider (`oidc`) or GitHub, who can then sign in on its page. */
export function addProviderUser(kind: "oidc", user: TestUser): Promise<StoredUser>;
export function addProviderUser(kind: "github", user: GitHubTestUser): Promise<GitHubTestUser & { id: number }>;
export function addProviderUser(kind: "oidc" | "github", user: TestUser | GitHubTestUser): Promise<unknown> {
  return post(kind === "oidc" ? "E2E_OIDC_PROVIDER_URL" : "E2E_GITHUB_URL", "/__test/users", user);
}

/** What the rogue provider answers from now on, for every worker: merged into what held. */
export async function controlRogue(next: RogueNext): Promise<void> {
  await post("E2E_ROGUE_PROVIDER_URL", "/__test/next", next);
}

/** The rogue provider honest again. */
export async function resetRogue(): Promise<void> {
  await post("E2E_ROGUE_PROVIDER_URL", "/__test/reset", {});
}

/** The app's authorization request to the rogue provider, made to get this answer, for this request alone. */
export function withRogueNext(authorizationUrl: string | URL, next: RogueNext): URL {
  const url = new URL(authorizationUrl);
  url.searchParams.set("test_next", JSON.stringify(next));
  return url;
}

/** Signs in on the OpenID provider's page, where "Continue with …" led. */
export async function signInAtTestProvider(page: Page, { email, password }: { email: string; password: string }): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in on the GitHub stub's page, where "Continue with GitHub" led. */
export async function signInAtGitHub(page: Page, { login, password }: { login: string; password: string }): Promise<void> {
  await page.getByLabel("Username or email address").fill(login);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
