import { db } from "./support/db";
import { expect, test } from "./support/fixtures";
import { hiddenFields, postForm } from "./support/forms";
import { decodeClaims, SESSION_COOKIE, sessionCookie } from "./support/session";

test.describe("Signing out", () => {
  test.use({ signedIn: true });

  test("ends the session for good: the old cookie, replayed, is signed out everywhere", async ({ page, browser }) => {
    await page.goto("/account");
    const stolen = (await sessionCookie(page.context()))!;
    const { sid } = decodeClaims(stolen.value) as { sid: string };

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL("/");
    expect(await sessionCookie(page.context())).toBeUndefined();

    // The session the token names is ended: the denylist, keyed by session id.
    const row = await db.session.findUnique({ where: { id: sid } });
    expect(row?.revokedAt).toBeInstanceOf(Date);

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
    await page.goto("/account");
    const stolen = (await sessionCookie(page.context()))!;
    const cookie = `${SESSION_COOKIE}=${stolen.value}`;
    // The sign-out form as the signed-in person was shown it, server action id included.
    const signOutForm = await hiddenFields("/account", cookie);
    expect(signOutForm.some(([name]) => name.startsWith("$ACTION_ID_"))).toBe(true);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL("/");
    const { sid } = decodeClaims(stolen.value) as { sid: string };
    const endedAt = (await db.session.findUniqueOrThrow({ where: { id: sid } })).revokedAt;
    expect(endedAt).toBeInstanceOf(Date);

    const replay = await postForm("/account", {}, { cookie, hidden: signOutForm });
    expect(replay.status).toBe(303);
    expect(replay.location).toBe("/sign-in?next=%2Faccount");
    expect(replay.setCookie.join()).toMatch(/__Host-session=;.*Max-Age=0/);
    // Nothing was written: the session still shows the original sign-out.
    expect((await db.session.findUniqueOrThrow({ where: { id: sid } })).revokedAt).toEqual(endedAt);
  });

  test("a signed-out answer to an ended session's cookie deletes it: on a page, a protected page, in the browser", async ({ page, browser, baseURL }) => {
    await page.goto("/account");
    const stolen = (await sessionCookie(page.context()))!;
    const cookie = `${SESSION_COOKIE}=${stolen.value}`;
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL("/");

    // Over HTTP: the page cannot set a cookie, so it goes to the route that deletes it, and comes straight back.
    const get = (path: string, withCookie = true) =>
      fetch(`${baseURL}${path}`, { headers: withCookie ? { cookie } : {}, redirect: "manual" });
    for (const [path, back] of [["/forgot-password?x=1", "/forgot-password?x=1"], ["/account", "/account"]] as const) {
      const first = await get(path);
      expect(first.status, path).toBe(307);
      const ended = first.headers.get("location")!;
      expect(ended, path).toBe(`/session/ended?${new URLSearchParams({ next: back })}`);
      const cleared = await get(ended);
      expect(cleared.status, path).toBe(307);
      expect(cleared.headers.get("location"), path).toBe(back);
      expect(cleared.headers.getSetCookie().join(), path).toMatch(/__Host-session=;.*Max-Age=0/);
    }

    // In a browser that kept the cookie: it lands where it was going, signed out, and the cookie is gone.
    const replay = await browser.newContext();
    await replay.addCookies([stolen]);
    const thief = await replay.newPage();
    await thief.goto("/sign-up");
    await expect(thief).toHaveURL("/sign-up");
    await expect(thief.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign in" })).toBeVisible();
    expect(await sessionCookie(replay)).toBeUndefined();
    await replay.close();
  });

  test("the route that deletes an ended session's cookie leaves a live one alone", async ({ page, baseURL }) => {
    await page.goto("/account");
    const live = (await sessionCookie(page.context()))!;
    const answer = await fetch(`${baseURL}/session/ended?next=%2Faccount`, {
      headers: { cookie: `${SESSION_COOKIE}=${live.value}` },
      redirect: "manual",
    });
    expect(answer.status).toBe(307);
    expect(answer.headers.get("location")).toBe("/account");
    expect(answer.headers.getSetCookie().join()).not.toMatch(/Max-Age=0/);
    await page.goto("/account");
    await expect(page).toHaveURL("/account");
  });

  test("the sign-in page after sign-out shows the form, not the account", async ({ page }) => {
    await page.goto("/account");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL("/");
    await page.goto("/sign-in");
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  });
});
