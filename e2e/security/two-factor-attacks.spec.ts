// Attacks on two-step sign-in, over HTTP against the production build: the pending state (password accepted, code
// awaited) used as a session by page, server action and API, and its token pasted into the session cookie; going
// straight to /account after the password; a parallel burst of code guesses on one pending sign-in.
import type { Person } from "./../support/people";
import { db } from "../support/db";
import { expect, test } from "../support/fixtures";
import { hiddenFields, postForm } from "../support/forms";
import { baseURL } from "../support/server";
import { decodeClaims, SESSION_COOKIE, sessionCookie } from "../support/session";
import { enableTotp } from "../support/totp";
import { signIn } from "../support/users";
import { authenticate } from "../../lib/users/store.server";

const PENDING_COOKIE = "__Secure-pending-sign-in";

/** The password step over HTTP: the answer, and the pending token from its cookie. */
async function passwordOnly(person: Person) {
  const answer = await postForm("/sign-in", { email: person.email, password: person.password });
  const header = answer.setCookie.find((cookie) => cookie.startsWith(`${PENDING_COOKIE}=`));
  const token = header?.split(";")[0]?.slice(PENDING_COOKIE.length + 1) ?? "";
  return { answer, header: header ?? "", token, cookie: `${PENDING_COOKIE}=${token}` };
}

const get = (path: string, cookie: string) => fetch(new URL(path, baseURL), { headers: { cookie }, redirect: "manual" });

test("the password alone makes no session: a pending cookie scoped to /sign-in/verify, and the code page", async ({ newPerson }) => {
  const person = await newPerson();
  await enableTotp(person);
  const { answer, header, token } = await passwordOnly(person);
  expect(answer.status).toBe(303);
  expect(answer.location).toBe("/sign-in/verify");
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(header).toMatch(/Path=\/sign-in\/verify(;|$)/);
  expect(header).toMatch(/HttpOnly/i);
  expect(header).toMatch(/Secure/i);
  expect(header).toMatch(/SameSite=lax/i);
  expect(Number(header.match(/Max-Age=(\d+)/)?.[1])).toBeLessThanOrEqual(600);
  expect(answer.setCookie.some((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`) && !/Max-Age=0/.test(cookie))).toBe(false);
  expect(await db.session.count({ where: { userId: person.userId } })).toBe(0);
});

test("the pending token opens no page, in its own cookie or pasted into the session cookie", async ({ newPerson }) => {
  const person = await newPerson();
  await enableTotp(person);
  const { token, cookie } = await passwordOnly(person);
  for (const path of ["/account", "/account/security", "/account/sessions", "/account/password", "/admin"]) {
    for (const jar of [cookie, `${SESSION_COOKIE}=${token}`, `${cookie}; ${SESSION_COOKIE}=${token}`]) {
      const answer = await get(path, jar);
      expect(answer.status, `${path} with ${jar.split("=")[0]}`).toBe(307);
      expect(answer.headers.get("location")).toBe(`/sign-in?${new URLSearchParams({ next: path })}`);
      if (jar.includes(SESSION_COOKIE)) expect(answer.headers.getSetCookie().join()).toMatch(/__Host-session=;.*Max-Age=0/);
    }
  }
  // The home page renders for someone signed out.
  const home = await (await get("/", `${SESSION_COOKIE}=${token}`)).text();
  expect(home).toContain("Sign in");
  expect(home).not.toContain(person.email);
});

test("the pending state runs no server action: posted where the browser sends it, or pasted as the session", async ({ newPerson, signedInAs }) => {
  const person = await newPerson();
  await enableTotp(person);
  const { token, cookie } = await passwordOnly(person);
  // Forms as any signed-in person is shown them, action ids included.
  const { cookie: someoneElse } = await signedInAs();
  const signOutForm = await hiddenFields("/account", someoneElse);
  const passwordForm = await hiddenFields("/account/password", someoneElse);
  for (const form of [signOutForm, passwordForm]) expect(form.some(([name]) => name.startsWith("$ACTION_"))).toBe(true);

  // Sign-out (in every page's header) posted to /sign-in/verify, the one path the pending cookie is sent to: the data
  // access layer finds no session in it.
  const signOut = await postForm("/sign-in/verify", {}, { cookie, hidden: signOutForm });
  expect(signOut.status).toBe(303);
  expect(signOut.location).toBe("/sign-in?next=%2Faccount");

  // A password change with the pending token as its cookie, or pasted into the session cookie.
  const fields = { currentPassword: person.password, newPassword: "a completely new passphrase here" };
  for (const jar of [cookie, `${SESSION_COOKIE}=${token}`]) {
    const answer = await postForm("/account/password", fields, { cookie: jar, hidden: passwordForm });
    expect(answer.status).toBe(303);
    expect(answer.location).toBe("/sign-in?next=%2Faccount%2Fpassword");
  }
  expect(await authenticate(person.email, person.password)).not.toBeNull();
  expect(await db.session.count({ where: { userId: person.userId } })).toBe(0);
  // The pending sign-in itself is untouched: it still waits for its code.
  expect(await db.pendingSignIn.count({ where: { userId: person.userId } })).toBe(1);
});

test("the API takes neither the pending token nor a password alone from an account with an authenticator app", async ({ newPerson }) => {
  const person = await newPerson();
  const { app } = await enableTotp(person);
  const { token } = await passwordOnly(person);
  const me = await fetch(new URL("/api/me", baseURL), { headers: { authorization: `Bearer ${token}` } });
  expect(me.status).toBe(401);

  const tokenRequest = (body: Record<string, unknown>) =>
    fetch(new URL("/api/auth/token", baseURL), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const credentials = { email: person.email, password: person.password };
  const missing = await tokenRequest(credentials);
  expect(missing.status).toBe(401);
  expect(await missing.json()).toMatchObject({ error: "mfa_required" });
  const wrong = await tokenRequest({ ...credentials, otp: app.wrong() });
  expect(wrong.status).toBe(401);
  expect(await wrong.json()).toMatchObject({ error: "invalid_grant" });
  const notString = await tokenRequest({ ...credentials, otp: 123456 });
  expect(notString.status).toBe(400);
  const code = await app.fresh();
  const right = await tokenRequest({ ...credentials, otp: code });
  expect(right.status).toBe(200);
  const pair = (await right.json()) as { access_token: string };
  expect(decodeClaims(pair.access_token).amr).toEqual(["pwd", "otp", "mfa"]);
  const replayed = await tokenRequest({ ...credentials, otp: code });
  expect(replayed.status).toBe(401);
  expect(await replayed.json()).toMatchObject({ error: "invalid_grant" });
});

test("going straight to /account after the password leads back to sign-in; the code still finishes it", async ({ page, newPerson }) => {
  const person = await newPerson();
  const { app } = await enableTotp(person);
  await page.goto("/sign-in");
  await signIn(page, person.email, person.password);
  await expect(page).toHaveURL("/sign-in/verify");
  await page.goto("/account");
  await expect(page).toHaveURL("/sign-in?next=%2Faccount");
  expect(await sessionCookie(page.context())).toBeUndefined();
  await page.goto("/account/security");
  await expect(page).toHaveURL("/sign-in?next=%2Faccount%2Fsecurity");

  await page.goto("/sign-in/verify");
  await page.getByLabel("Code", { exact: true }).fill(await app.fresh());
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL("/account");
});

test("a parallel burst of 20 code guesses on one pending sign-in gets 5 checks, then it is dead", { tag: "@db" }, async ({ newPerson }) => {
  const person = await newPerson();
  const { app } = await enableTotp(person);
  const { cookie } = await passwordOnly(person);
  const hidden = await hiddenFields("/sign-in/verify", cookie);
  expect(hidden.some(([name]) => name.startsWith("$ACTION_"))).toBe(true);
  const answers = await Promise.all(Array.from({ length: 20 }, () => postForm("/sign-in/verify", { code: app.wrong() }, { cookie, hidden })));
  expect(answers.every((answer) => answer.status < 500)).toBe(true);
  const checked = answers.filter((answer) => answer.body.includes("tries left") || answer.body.includes("try left") || answer.location === "/sign-in?notice=too-many-codes");
  expect(checked).toHaveLength(5);
  // Each check was counted for the account too: exactly 5.
  expect((await db.throttle.findUnique({ where: { key: `totp:${person.userId}` } }))?.failures).toBe(5);
  // Dead: the right code now leads back to the password.
  const late = await postForm("/sign-in/verify", { code: await app.fresh() }, { cookie, hidden });
  expect(late.status).toBe(303);
  expect(late.location).toBe("/sign-in?notice=sign-in-again");
  expect(await db.session.count({ where: { userId: person.userId } })).toBe(0);
});

test("/sign-in/verify without a live pending sign-in sends the person to sign in", async ({ newPerson }) => {
  const person = await newPerson();
  await enableTotp(person);
  for (const jar of ["", `${PENDING_COOKIE}=${"A".repeat(43)}`, `${PENDING_COOKIE}=not-a-token`]) {
    const answer = await get("/sign-in/verify", jar);
    expect(answer.status).toBeGreaterThanOrEqual(300);
    expect(answer.status).toBeLessThan(400);
    expect(answer.headers.get("location")).toBe("/sign-in?notice=sign-in-again");
  }
});
