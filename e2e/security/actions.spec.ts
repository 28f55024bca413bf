// Server actions take their arguments from whatever the client posts, not from the page that rendered them. An
// admin (or anyone) who rewrites the posted id gets the answer an unknown id gets: nothing ends, nothing breaks.
import { expect, test, type Page } from "@playwright/test";
import { countLiveSessions, db } from "../support/db";
import { newEmail, signUp } from "../support/users";

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
  test(`an admin posting ${label} as the user id to "End sessions" ends nobody's sessions`, async ({ page, browser }) => {
    const bystander = await (await browser.newContext()).newPage();
    const bystanderEmail = await signUp(bystander, newEmail("bystander"));
    const adminEmail = await signUp(page, newEmail("admin"));
    await db.user.update({ where: { email: adminEmail }, data: { role: "admin" } });
    const target = await (await browser.newContext()).newPage();
    const targetEmail = await signUp(target, newEmail("target"));
    const { id: targetId } = await db.user.findUniqueOrThrow({ where: { email: targetEmail } });

    await page.goto("/admin");
    const rewritten = await rewriteActionArguments(page, "/admin", [targetId], replacement);
    const answer = page.waitForResponse((response) => response.request().method() === "POST");
    await page.getByRole("row", { name: targetEmail }).getByRole("button", { name: "End sessions" }).click();
    expect((await answer).status()).toBeLessThan(500);
    expect(rewritten()).toBe(true);

    expect(await countLiveSessions(bystanderEmail)).toBe(1);
    expect(await countLiveSessions(targetEmail)).toBe(1);
    expect(await countLiveSessions(adminEmail)).toBe(1);
    await bystander.context().close();
    await target.context().close();
  });
}

test("a person posting a Prisma filter as the session id to \"Sign out\" on a device ends nothing", async ({ page, browser }) => {
  const email = newEmail("own-sessions");
  await signUp(page, email);
  const other = await (await browser.newContext()).newPage();
  await other.goto("/sign-in");
  await other.getByLabel("Email").fill(email);
  await other.getByLabel("Password").fill("correct horse battery staple");
  await other.getByRole("button", { name: "Sign in" }).click();
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
