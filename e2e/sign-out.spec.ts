import { expect, test } from "@playwright/test";
import { db } from "./support/db";
import { hiddenFields, postForm } from "./support/forms";
import { decodeClaims, SESSION_COOKIE, sessionCookie } from "./support/session";
import { signUp } from "./support/users";

test.describe("Signing out", () => {
  test("ends the session for good: the old cookie, replayed, is signed out everywhere", async ({ page, browser }) => {
    await signUp(page);
    const stolen = (await sessionCookie(page.context()))!;
    const { jti, exp } = decodeClaims(stolen.value) as { jti: string; exp: number };

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL("/");
    expect(await sessionCookie(page.context())).toBeUndefined();

    // The token's id is on the denylist until the token would have expired.
    const row = await db.revokedToken.findUnique({ where: { jti } });
    expect(row?.expiresAt.getTime()).toBe(exp * 1000);

    // Someone who kept a copy of the cookie replays it in another browser.
    const replay = await browser.newContext();
    await replay.addCookies([stolen]);
    const thief = await replay.newPage();
    await thief.goto("/account");
    await expect(thief).toHaveURL("/sign-in?next=%2Faccount");
    await expect(thief.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await replay.close();
  });

  test("a replayed cookie gets the signed-out answer from a server action too", async ({ page }) => {
    await signUp(page);
    const stolen = (await sessionCookie(page.context()))!;
    const cookie = `${SESSION_COOKIE}=${stolen.value}`;
    // The sign-out form as the signed-in person was shown it, server action id included.
    const signOutForm = await hiddenFields("/account", cookie);
    expect(signOutForm.some(([name]) => name.startsWith("$ACTION_ID_"))).toBe(true);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL("/");
    const revoked = await db.revokedToken.count();

    const replay = await postForm("/account", {}, { cookie, hidden: signOutForm });
    expect(replay.status).toBe(303);
    expect(replay.location).toBe("/sign-in?next=%2Faccount");
    expect(replay.setCookie.join()).toMatch(/__Host-session=;.*Max-Age=0/);
    expect(await db.revokedToken.count()).toBe(revoked);
  });

  test("the sign-in page after sign-out shows the form, not the account", async ({ page }) => {
    await signUp(page);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL("/");
    await page.goto("/sign-in");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  });
});
