// The fixtures a suite built on this app imports (e2e/support/fixtures.ts), held to what they promise. Runs against
// the production build and against `npm run dev` alike (E2E_BASE_URL=http://localhost:3000).
import { db } from "./support/db";
import { expect, test, type SignedInPerson } from "./support/fixtures";
import { baseURL } from "./support/server";
import { newEmail } from "./support/users";

const me = (accessToken: string) => fetch(`${baseURL}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } });
const refresh = (refreshToken: string) =>
  fetch(`${baseURL}/api/auth/refresh`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ refresh_token: refreshToken }),
  });

test.describe("An admin, signed in by test.use", () => {
  test.use({ signedIn: { role: "admin" } });

  test("sees /admin, themselves listed, holding the cookie the server would have set", async ({ page, person }) => {
    const answer = await page.goto("/admin");
    expect(answer?.status()).toBe(200);
    await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
    await expect(page.getByRole("row", { name: person.email })).toBeVisible();
    const cookie = (await page.context().cookies()).find((c) => c.name === person.cookieName);
    expect(cookie).toMatchObject({ value: person.token, httpOnly: true, sameSite: "Lax", path: "/" });
    expect(cookie?.secure).toBe(person.cookieName.startsWith("__Host-"));
    // A real session: the row the cookie names is live, and it is theirs.
    const session = await db.session.findUniqueOrThrow({ where: { id: person.sessionId } });
    expect(session).toMatchObject({ userId: person.userId, kind: "browser", revokedAt: null });
  });
});

test.describe("Each test's own person", () => {
  // In order, in one worker: the second and third tests look at what the first left behind.
  test.describe.configure({ mode: "serial" });
  test.use({ signedIn: true });
  let signedOut: SignedInPerson;

  test("a test may sign its person out", async ({ page, person }) => {
    signedOut = person;
    await page.goto("/account");
    await expect(page.getByTestId("account-email")).toHaveText(person.email);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL("/");
  });

  test("the next test is still signed in, as someone else", async ({ page, person }) => {
    expect(person.userId).not.toBe(signedOut.userId);
    await page.goto("/account");
    await expect(page).toHaveURL("/account");
    await expect(page.getByTestId("account-email")).toHaveText(person.email);
  });

  test("a person is deleted, sessions and all, when their test ends", async () => {
    expect(await db.user.count({ where: { id: signedOut.userId } })).toBe(0);
    expect(await db.session.count({ where: { userId: signedOut.userId } })).toBe(0);
  });
});

test("signedInAs signs people in on demand, each in the browser it is given", async ({ page, browser, signedInAs }) => {
  const ada = await signedInAs({ email: newEmail("ada") });
  const otherBrowser = await browser.newContext();
  const grace = await signedInAs({}, otherBrowser);
  const gracesPage = await otherBrowser.newPage();

  await page.goto("/account");
  await expect(page.getByTestId("account-email")).toHaveText(ada.email);
  await gracesPage.goto("/account");
  await expect(gracesPage.getByTestId("account-email")).toHaveText(grace.email);

  // One signs out; the other is untouched.
  await gracesPage.getByRole("button", { name: "Sign out" }).click();
  await expect(gracesPage).toHaveURL("/");
  await page.reload();
  await expect(page.getByTestId("account-email")).toHaveText(ada.email);
  await otherBrowser.close();
});

test("a person the test deleted itself is no trouble when the test ends", async ({ page, signedInAs }) => {
  const person = await signedInAs();
  await page.goto("/account/delete");
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Delete account" }).click();
  await expect(page).toHaveURL("/");
  expect(await db.user.count({ where: { id: person.userId } })).toBe(0);
});

test("an API session's access token works at /api/me, and its refresh token refreshes", async ({ apiSession }) => {
  expect(apiSession).toMatchObject({ token_type: "Bearer", expires_in: 900 });
  const who = await me(apiSession.access_token);
  expect(who.status).toBe(200);
  expect(await who.json()).toEqual({ id: apiSession.userId, email: apiSession.email, role: "user" });
  const session = await db.session.findUniqueOrThrow({ where: { id: apiSession.sessionId } });
  expect(session.kind).toBe("api");

  const refreshed = await refresh(apiSession.refresh_token);
  expect(refreshed.status).toBe(200);
  const pair = (await refreshed.json()) as { access_token: string; refresh_token: string };
  expect(pair.refresh_token).not.toBe(apiSession.refresh_token);
  expect((await me(pair.access_token)).status).toBe(200);
  // The fixture's refresh token was a real, stored one: now spent, presented again within the reuse grace it
  // answers with the same successor, not another.
  const again = await refresh(apiSession.refresh_token);
  expect(again.status).toBe(200);
  expect(((await again.json()) as { refresh_token: string }).refresh_token).toBe(pair.refresh_token);
});

test("apiSessionFor makes an admin API client", async ({ apiSessionFor }) => {
  const admin = await apiSessionFor({ role: "admin" });
  expect(await (await me(admin.access_token)).json()).toMatchObject({ id: admin.userId, role: "admin" });
});
