// Abuse limits and account hygiene: throttling, common passwords, whole-password hashing, session fixation,
// email look-alikes, and logs that never hold a secret.
import { readAbuseLimits } from "../../lib/config";
import { limitedNetwork } from "../../lib/http/client-info";
import { countUsers, db } from "../support/db";
import { startServer, type ExtraServer } from "../support/extra-server";
import { expect, test } from "../support/fixtures";
import { hiddenFields, postForm } from "../support/forms";
import { baseURL } from "../support/server";
import { SESSION_COOKIE, decodeClaims, sessionCookie } from "../support/session";
import { newAddress, newEmail, newSubnet, PASSWORD, signIn, signUp, uniqueId } from "../support/users";

const tokenRequest = (url: string, body: unknown, address: string) =>
  fetch(`${url}/api/auth/token`, {
    method: "POST",
    // Behind the one trusted proxy this server is told about, the last X-Forwarded-For entry is the client.
    headers: { "content-type": "application/json", "x-forwarded-for": address },
    body: JSON.stringify(body),
  });

/** How the server sees this machine's own requests, whichever way localhost resolves. */
const LOOPBACK = ["::1", "::ffff:127.0.0.1", "127.0.0.1"];

test.describe("Throttling", { tag: "@db" }, () => {
  test.describe.configure({ timeout: 90_000 });
  let proxied: ExtraServer;
  test.beforeAll(async () => {
    proxied = await startServer({ TRUSTED_PROXY_HOPS: "1" });
  });
  test.afterAll(async () => proxied?.stop());

  test("after 10 failures an account gets 429 with Retry-After, an unknown email exactly the same", async ({ newPerson }) => {
    const { email: real } = await newPerson({ email: newEmail("throttled") });
    const ghost = newEmail("ghost");
    const address = newAddress();
    for (let i = 0; i < 10; i++) {
      expect((await tokenRequest(proxied.url, { email: real, password: `wrong password ${i} here` }, address)).status).toBe(401);
      expect((await tokenRequest(proxied.url, { email: ghost, password: `wrong password ${i} here` }, address)).status).toBe(401);
    }
    const answers = await Promise.all([real, ghost].map((email) => tokenRequest(proxied.url, { email, password: PASSWORD }, address)));
    for (const answer of answers) {
      expect(answer.status).toBe(429);
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(800);
    }
    const [realBody, ghostBody] = await Promise.all(answers.map((answer) => answer.json()));
    expect(realBody).toEqual(ghostBody);
    const headerNames = (answer: Response) => [...answer.headers.keys()].filter((name) => name !== "date").sort();
    expect(headerNames(answers[0]!)).toEqual(headerNames(answers[1]!));
  });

  test("the sign-in form says so too", async ({ page, newPerson }) => {
    const { email } = await newPerson({ email: newEmail("form-throttle") });
    for (let i = 0; i < 10; i++) await tokenRequest(proxied.url, { email, password: `wrong password ${i} here` }, newAddress());
    await page.goto(`${proxied.url}/sign-in`);
    await signIn(page, email);
    await expect(page.getByRole("alert").filter({ hasText: /Too many attempts. Try again in \d+ minutes?\./ })).toBeVisible();
  });

  test("one password sprayed across many accounts is stopped per address", async () => {
    const address = newAddress();
    for (let i = 0; i < 50; i++) {
      const answer = await tokenRequest(proxied.url, { email: newEmail(`spray${i}`), password: "Summer2026!Summer2026!" }, address);
      expect(answer.status).toBe(401);
    }
    const blocked = await tokenRequest(proxied.url, { email: newEmail("spray-last"), password: "Summer2026!Summer2026!" }, address);
    expect(blocked.status).toBe(429);
  });

  test("without a trusted proxy, a client's own X-Forwarded-For is ignored: rotating it escapes nothing", async () => {
    const email = newEmail("rotate");
    const spoofed = [newAddress(), newAddress(), newAddress()];
    for (const [i, address] of spoofed.entries()) {
      await tokenRequest(baseURL, { email, password: `wrong password ${i} here` }, address);
    }
    expect((await db.throttle.findUniqueOrThrow({ where: { key: `account:${email}` } })).failures).toBe(3);
    // The main server trusts no proxy: it counted the socket's address, never the ones the client named.
    const named = await db.throttle.count({ where: { key: { in: spoofed.map((address) => `address:${limitedNetwork(address)}`) } } });
    expect(named).toBe(0);
    const loopback = await db.throttle.findMany({ where: { key: { in: LOOPBACK.map((address) => `address:${limitedNetwork(address)}`) } } });
    expect(loopback.reduce((sum, row) => sum + row.failures, 0)).toBeGreaterThanOrEqual(3);
  });

  test("the header that carries the client's address to the app cannot be sent by the client", async () => {
    const email = newEmail("own-header");
    const claimed = newAddress();
    const forwarded = newAddress();
    const answer = await fetch(`${proxied.url}/api/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": forwarded, "x-tessera-client-address": claimed },
      body: JSON.stringify({ email, password: "a wrong password for this" }),
    });
    expect(answer.status).toBe(401);
    expect(await db.throttle.count({ where: { key: `address:${limitedNetwork(claimed)}` } })).toBe(0);
    expect((await db.throttle.findUniqueOrThrow({ where: { key: `address:${limitedNetwork(forwarded)}` } })).failures).toBe(1);
  });
});

/** Sends `size` requests at once and counts their statuses. */
async function burst<T extends { status: number }>(size: number, request: (i: number) => Promise<T>) {
  const answers = await Promise.all(Array.from({ length: size }, (_, i) => request(i)));
  const statuses: Record<number, number> = {};
  for (const { status } of answers) statuses[status] = (statuses[status] ?? 0) + 1;
  return { answers, statuses };
}

test.describe("Limits under a parallel burst", { tag: "@db" }, () => {
  test.describe.configure({ timeout: 120_000 });
  // The shipped 15-minute sign-in window, so that however long a burst takes on a loaded machine it falls into
  // one window (a 15-second one let a burst that took longer through); 5 sign-ups per address.
  let limited: ExtraServer;
  test.beforeAll(async () => {
    limited = await startServer({ TRUSTED_PROXY_HOPS: "1", SIGN_UPS_PER_ADDRESS: "5" });
  });
  test.afterAll(async () => limited?.stop());

  test("40 wrong passwords for one account at once: 10 are checked, 30 get 429, and the block ends with its window", async ({
    newPerson,
  }) => {
    const { email } = await newPerson({ email: newEmail("burst") });
    const { statuses } = await burst(40, (i) =>
      tokenRequest(limited.url, { email, password: `wrong password ${i} here` }, newAddress()),
    );
    expect(statuses).toEqual({ 401: 10, 429: 30 });
    expect((await tokenRequest(limited.url, { email, password: PASSWORD }, newAddress())).status).toBe(429);
    // Not locked out for good: once the window has ended (moved back here rather than waited for), the right
    // password works again.
    const windowSeconds = readAbuseLimits().signInWindowSeconds;
    await db.throttle.update({
      where: { key: `account:${email}` },
      data: { windowStartedAt: new Date(Date.now() - (windowSeconds + 1) * 1000) },
    });
    expect((await tokenRequest(limited.url, { email, password: PASSWORD }, newAddress())).status).toBe(200);
  });

  // One client, as one address or as a new address of its IPv6 /64 for every request: either way one client to
  // the limits, or a client given a /64 would step through its 2^64 addresses past them.
  const clients = {
    "one address": () => {
      const address = newAddress();
      return () => address;
    },
    "a new address of one IPv6 /64 each time": newSubnet,
  };
  for (const [from, newClient] of Object.entries(clients)) {
    test(`80 unknown emails at once, from ${from}: 50 are checked, the rest get 429`, async () => {
      const addressOf = newClient();
      const { statuses } = await burst(80, (i) =>
        tokenRequest(limited.url, { email: newEmail(`burst-ghost${i}`), password: "Summer2026!Summer2026!" }, addressOf()),
      );
      expect(statuses).toEqual({ 401: 50, 429: 30 });
    });

    test(`40 sign-ups at once, from ${from}, make 5 accounts; the others are told to wait`, async () => {
      const addressOf = newClient();
      const label = `burst-sign-up-${uniqueId()}`;
      const hidden = await hiddenFields(`${limited.url}/sign-up`);
      const { answers } = await burst(40, (i) =>
        postForm(`${limited.url}/sign-up`, { email: `${label}-${i}@example.com`, password: PASSWORD }, {
          hidden,
          headers: { "x-forwarded-for": addressOf() },
        }),
      );
      expect(await db.user.count({ where: { email: { startsWith: label } } })).toBe(5);
      expect(answers.filter((answer) => answer.body.includes("Too many attempts. Try again in"))).toHaveLength(35);
    });
  }

  test("sign-ins with the old password racing a password change: none of them stays signed in", async ({ signedInAs }) => {
    // The limited server trusts one proxy, so each sign-in counts against an address of its own, not this machine's.
    const person = await signedInAs({ email: newEmail("race-change") });
    const hidden = await hiddenFields(`${limited.url}/account/password`, person.cookie);
    // Eight API sign-ins with the password the owner is replacing, and the change itself, all at once: with the
    // change's confirmation of the current password, 9 of the account's 10 attempts.
    const [change, ...signIns] = await Promise.all([
      postForm(`${limited.url}/account/password`, { currentPassword: PASSWORD, newPassword: "a new and long passphrase" }, { cookie: person.cookie, hidden }),
      ...Array.from({ length: 8 }, () => tokenRequest(limited.url, { email: person.email, password: PASSWORD }, newAddress())),
    ]);
    expect(change.body).toContain("Your password was changed");
    // Each was refused like a wrong password, or opened a session the change ended: none of their tokens works.
    for (const answer of signIns) {
      expect([200, 401]).toContain(answer.status);
      if (answer.status !== 200) continue;
      const { access_token, refresh_token } = (await answer.json()) as { access_token: string; refresh_token: string };
      expect((await fetch(`${limited.url}/api/me`, { headers: { authorization: `Bearer ${access_token}` } })).status).toBe(401);
      const refreshed = await fetch(`${limited.url}/api/auth/refresh`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ refresh_token }),
      });
      expect(refreshed.status).toBe(401);
    }
    // Only the owner's own session, which made the change, is left.
    expect(await db.session.count({ where: { userId: person.userId, revokedAt: null } })).toBe(1);
  });

  test("40 guesses at the current password from a stolen cookie: 10 are checked, then even the owner waits", async ({
    signedInAs,
  }) => {
    // The limited server shares the suite's database and signing key: the cookie is good there too.
    const { cookie } = await signedInAs({ email: newEmail("confirm-burst") });
    const hidden = await hiddenFields(`${limited.url}/account/password`, cookie);
    const guess = (currentPassword: string) =>
      postForm(`${limited.url}/account/password`, { currentPassword, newPassword: "a new and long passphrase" }, { cookie, hidden });
    const { answers } = await burst(40, (i) => guess(`wrong password ${i} here`));
    const said = (text: string) => answers.filter((answer) => answer.body.includes(text)).length;
    expect(said("That is not your current password.")).toBe(10);
    expect(said("Too many attempts. Try again in")).toBe(30);
    expect((await guess(PASSWORD)).body).toContain("Too many attempts. Try again in");
  });
});

test("a full password-hash queue answers at once: 503 with Retry-After for the API, \"Busy\" for the form", async () => {
  test.setTimeout(120_000);
  const busy = await startServer({ TRUSTED_PROXY_HOPS: "1", PASSWORD_HASH_QUEUE_LIMIT: "0" });
  try {
    const { answers, statuses } = await burst(40, (i) =>
      tokenRequest(busy.url, { email: newEmail(`busy${i}`), password: "Summer2026!Summer2026!" }, newAddress()),
    );
    expect(Object.keys(statuses).sort()).toEqual(["401", "503"]);
    const refused = answers.find((answer) => answer.status === 503)!;
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(await refused.json()).toMatchObject({ error: "temporarily_unavailable" });

    const hidden = await hiddenFields(`${busy.url}/sign-in`);
    const { answers: forms } = await burst(40, (i) =>
      postForm(`${busy.url}/sign-in`, { email: newEmail(`busy-form${i}`), password: "Summer2026!Summer2026!" }, {
        hidden,
        headers: { "x-forwarded-for": newAddress() },
      }),
    );
    expect(forms.some((form) => form.body.includes("Busy, try again in a moment."))).toBe(true);
    expect(forms.every((form) => form.status === 200)).toBe(true);
  } finally {
    await busy.stop();
  }
});

test.describe("Passwords and emails", () => {
  test("a common password is refused at sign-up with the reason", async ({ page }) => {
    const email = newEmail("common");
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("1qaz2wsx3edc4rfv");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("This password is on a list of the most common passwords. Choose another.")).toBeVisible();
    expect(await countUsers(email)).toBe(0);
  });

  test("the whole password counts: no 72-byte truncation", async ({ page, newPerson }) => {
    const head = "x".repeat(72);
    const { email } = await newPerson({ email: newEmail("long"), password: `${head} first ending` });
    await page.goto("/sign-in");
    await signIn(page, email, `${head} other ending`);
    await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password." })).toBeVisible();
  });

  test("addresses that differ only by case or a zero-width character make no second account", { tag: "@db" }, async ({ page, newPerson }) => {
    const { email } = await newPerson({ email: newEmail("twin") });
    const twins = [email.toUpperCase(), email.replace("@", "\u200b@")];
    for (const twin of twins) {
      await page.goto("/sign-up");
      await page.getByLabel("Email").fill(twin);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Create account" }).click();
      await expect(page).toHaveURL("/sign-up");
    }
    // A second account would be stored under a twin as typed, or as it normalizes: the email itself.
    expect(await db.user.count({ where: { email: { in: [email, ...twins] } } })).toBe(1);
  });
});

test("session fixation: a cookie planted before sign-in is replaced by a new token with a new session", async ({
  page,
  browser,
  signedInAs,
  newPerson,
}) => {
  // The attacker takes a token of their own, signs it out, and plants it in the victim's browser, hoping the
  // victim's sign-in will bring it to life.
  const attackersBrowser = await browser.newContext();
  await signedInAs({ email: newEmail("attacker") }, attackersBrowser);
  const attacker = await attackersBrowser.newPage();
  await attacker.goto("/account");
  const planted = (await sessionCookie(attackersBrowser))!;
  await attacker.getByRole("button", { name: "Sign out" }).click();
  await expect(attacker).toHaveURL("/");
  const { email: victimEmail } = await newPerson({ email: newEmail("victim") });

  await page.context().addCookies([planted]);
  await page.goto("/sign-in");
  await signIn(page, victimEmail);
  await expect(page).toHaveURL("/account");
  const issued = (await sessionCookie(page.context()))!;
  expect(issued.value).not.toBe(planted.value);
  expect(decodeClaims(issued.value).sid).not.toBe(decodeClaims(planted.value).sid);
  const replay = await fetch(`${baseURL}/account`, { headers: { cookie: `${SESSION_COOKIE}=${planted.value}` }, redirect: "manual" });
  expect(replay.status).toBe(307);
});

test("logs: structured lines for sign-in, throttling and sign-out, and never a token, password or cookie", async ({ page }) => {
  test.setTimeout(90_000);
  const server = await startServer({});
  try {
    const email = newEmail("logged");
    const wrong = "this is a wrong password";
    await signUp(page, email, PASSWORD, server.url);
    const cookie = (await sessionCookie(page.context()))!.value;
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.goto(`${server.url}/sign-in`);
    await signIn(page, email, wrong);
    await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password." })).toBeVisible();
    await signIn(page, email);
    await expect(page).toHaveURL(`${server.url}/account`);
    const tokens = await (await fetch(`${server.url}/api/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: PASSWORD }),
    })).json();

    const output = server.output();
    const events = output.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line));
    for (const event of ["sign-up", "sign-out", "sign-in.failed", "sign-in.succeeded", "token.issued"]) {
      expect(events.some((e) => e.event === event)).toBe(true);
    }
    const succeeded = events.find((e) => e.event === "sign-in.succeeded");
    expect(succeeded).toMatchObject({ userId: expect.any(String), address: expect.any(String) });
    for (const secret of [PASSWORD, wrong, cookie, tokens.access_token, tokens.refresh_token, SESSION_COOKIE]) {
      expect(output).not.toContain(secret);
    }
    // The account's security activity is searched the same way: the failed attempt is there, no secret is.
    const { id: userId } = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    await expect.poll(() => db.event.count({ where: { userId, kind: "sign-in-failed" } })).toBe(1);
    const activity = JSON.stringify(await db.event.findMany({ where: { userId } }));
    for (const secret of [PASSWORD, wrong, cookie, tokens.access_token, tokens.refresh_token, SESSION_COOKIE]) {
      expect(activity).not.toContain(secret);
    }
  } finally {
    await server.stop();
  }
});
