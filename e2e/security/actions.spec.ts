// Server actions take their arguments from whatever the client posts, not from the page that rendered them. An
// admin (or anyone) who rewrites the posted id gets the answer an unknown id gets: nothing ends, nothing breaks.
import type { Page } from "@playwright/test";
import { countLiveSessions, db } from "../support/db";
import { expect, test } from "../support/fixtures";

/** Rewrites the posted ids of the server actions this page sends, as an attacker's own client would. */
async function rewriteActionArguments(page: Page, path: string, ids: string[], replacement: string) {
  let rewritten = false;
  await page.route(`**${path}`, async (route) => {
    let body = route.request().postData() ?? "";
    if (route.request().method() !== "POST") return route.continue();
    for (const id of ids) {
      if (body.includes(`"${id}"`)) rewritten = true;
      body = body.replaceAll(`"${id}"`, replacement);
    }
    await route.continue({ postData: body });
  });
  return () => rewritten;
}

for (const [label, replacement] of [
  ["a Prisma filter", '{"not":""}'],
  ["a number", "42"],
  ["a list", '["a","b"]'],
] as const) {
  test(`an admin posting ${label} as the user id to "End sessions" ends nobody's sessions`, async ({
    page,
    browser,
    signedInAs,
  }) => {
    const bystanderBrowser = await browser.newContext();
    const { email: bystanderEmail } = await signedInAs({}, bystanderBrowser);
    const { email: adminEmail } = await signedInAs({ role: "admin" });
    const targetBrowser = await browser.newContext();
    const { email: targetEmail, userId: targetId } = await signedInAs({}, targetBrowser);

    await page.goto("/admin");
    const rewritten = await rewriteActionArguments(page, "/admin", [targetId], replacement);
    const answer = page.waitForResponse((response) => response.request().method() === "POST");
    await page.getByRole("row", { name: targetEmail }).getByRole("button", { name: "End sessions" }).click();
    expect((await answer).status()).toBeLessThan(500);
    expect(rewritten()).toBe(true);

    expect(await countLiveSessions(bystanderEmail)).toBe(1);
    expect(await countLiveSessions(targetEmail)).toBe(1);
    expect(await countLiveSessions(adminEmail)).toBe(1);
    await bystanderBrowser.close();
    await targetBrowser.close();
  });
}

test("a person posting a Prisma filter as the session id to \"Sign out\" on a device ends nothing", async ({
  page,
  browser,
  signedInAs,
}) => {
  const { email, password } = await signedInAs();
  const other = await (await browser.newContext()).newPage();
  await other.goto("/sign-in");
  await other.getByLabel("Email").fill(email);
  await other.getByLabel("Password").fill(password);
  await other.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(other).toHaveURL("/account");
  expect(await countLiveSessions(email)).toBe(2);

  await page.goto("/account/sessions");
  const sessions = await db.session.findMany({ where: { user: { email }, revokedAt: null }, select: { id: true } });
  const ids = sessions.map((session) => session.id);
  const rewritten = await rewriteActionArguments(page, "/account/sessions", ids, '{"not":""}');
  const answer = page.waitForResponse((response) => response.request().method() === "POST");
  await page.getByRole("button", { name: "Sign out", exact: true }).first().click();
  expect((await answer).status()).toBeLessThan(500);
  expect(rewritten()).toBe(true);
  expect(await countLiveSessions(email)).toBe(2);
  await other.context().close();
});
