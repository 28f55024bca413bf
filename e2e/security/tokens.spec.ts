// Tokens that must not sign anyone in, each sent to a page, a server action and a route handler. A page answers
// exactly as with no cookie (307 to sign-in, cookie deleted); a server action gets the signed-out treatment; the
// API answers 401. Nothing is written.
import { b64url, signRaw, unsigned } from "../../test/support/forge";
import { siblingSignatures } from "../../test/support/spellings";
import { db } from "../support/db";
import { expect, test } from "../support/fixtures";
import { hiddenFields, postForm } from "../support/forms";
import { baseURL } from "../support/server";
import { claimsFor, decodeClaims, SESSION_COOKIE, sessionCookie, signedText, signedToken } from "../support/session";
import { PASSWORD, signUp } from "../support/users";

const now = () => Math.floor(Date.now() / 1000);

async function getAccount(token: string) {
  const response = await fetch(`${baseURL}/account`, { headers: { cookie: `${SESSION_COOKIE}=${token}` }, redirect: "manual" });
  return { status: response.status, location: response.headers.get("location"), setCookie: response.headers.getSetCookie() };
}

async function getMe(token: string) {
  const response = await fetch(`${baseURL}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json(), wwwAuthenticate: response.headers.get("www-authenticate") };
}

/** A page's answer to a signed-out request: 307 to sign-in, and the bad cookie deleted. */
function expectSignedOut(answer: Awaited<ReturnType<typeof getAccount>>) {
  expect(answer.status).toBe(307);
  expect(answer.location).toBe("/sign-in?next=%2Faccount");
  expect(answer.setCookie.join()).toMatch(/__Host-session=;.*Max-Age=0/);
}

/** A refresh token from POST /api/auth/token, as an API client of this person would hold it. */
async function refreshTokenOf(email: string): Promise<string> {
  const response = await fetch(`${baseURL}/api/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  return ((await response.json()) as { refresh_token: string }).refresh_token;
}

test.describe("A token that fails verification", () => {
  let userId: string;
  let realToken: string;
  let realClaims: Record<string, unknown>;
  let realAccessToken: string;
  let realRefreshToken: string;
  let signOutForm: [string, string][];

  /**
   * Claims of the person's real, live session (its sid, sub and auth_time) with any of them changed. Every forgery
   * below names this session, which would let it in: each is refused for its one defect, not for an unknown session.
   */
  const liveClaims = (overrides: Record<string, unknown> = {}) =>
    claimsFor(userId, { sid: realClaims.sid, auth_time: realClaims.auth_time, ...overrides });

  /** The genuine token of each kind for the live session: the cookie as the server set it, or an access token. */
  const genuine = (typ: string) => (typ === "JWT" ? realToken : realAccessToken);

  test.beforeAll(async ({ browser }) => {
    const page = await browser.newPage();
    const email = await signUp(page);
    realToken = (await sessionCookie(page.context()))!.value;
    realClaims = decodeClaims(realToken);
    userId = realClaims.sub as string;
    realAccessToken = await signedToken(liveClaims(), { typ: "at+jwt" });
    realRefreshToken = await refreshTokenOf(email);
    signOutForm = await hiddenFields("/account", `${SESSION_COOKIE}=${realToken}`);
    await page.close();
  });

  // Each makes a token from the live session's claims or genuine tokens (so only its one defect differs). `typ` is
  // the token kind: "JWT" for the cookie, "at+jwt" for the API.
  const attacks: [string, (typ: string) => Promise<string> | string][] = [
    ["alg none", () => unsigned("none", liveClaims())],
    ["alg nOnE", () => unsigned("nOnE", liveClaims())],
    ["alg HS512 with the real key", (typ) => signedToken(liveClaims(), { alg: "HS512", typ })],
    ["signed with another key", (typ) =>
      signRaw({ alg: "HS256", typ }, JSON.stringify(liveClaims()), new Uint8Array(32).fill(9))],
    ["an embedded jwk", (typ) =>
      signRaw({ alg: "HS256", typ, jwk: { kty: "oct", k: b64url(new Uint8Array(32).fill(9)) } }, JSON.stringify(liveClaims()), new Uint8Array(32).fill(9))],
    ["a jku / x5u", (typ) => signedToken(liveClaims(), { typ, jku: "https://attacker.example/k", x5u: "https://attacker.example/c", kid: undefined })],
    ["a path kid", (typ) => signedToken(liveClaims(), { typ, kid: "../../../dev/null" })],
    ["an SQL kid", (typ) => signedToken(liveClaims(), { typ, kid: "' OR 1=1 --" })],
    ["a changed claim with the old signature", (typ) => {
      const [header, , signature] = genuine(typ).split(".");
      return `${header}.${b64url(JSON.stringify({ ...decodeClaims(genuine(typ)), role: "admin" }))}.${signature}`;
    }],
    ["a stripped signature", (typ) => genuine(typ).split(".").slice(0, 2).join(".") + "."],
    ["2 segments", (typ) => genuine(typ).split(".").slice(0, 2).join(".")],
    ["5 segments", (typ) => `${genuine(typ)}.${genuine(typ).split(".").slice(0, 2).join(".")}`],
    ...[0, 1, 2].map((i): [string, (typ: string) => string] => [
      `its signature spelled another way (${i + 1} of 3)`,
      (typ) => siblingSignatures(genuine(typ))[i]!,
    ]),
    ["padding after its signature", (typ) => `${genuine(typ)}=`],
    ["longer than any token the server signs", (typ) => signedToken(liveClaims({ pad: "x".repeat(1100) }), { typ })],
    ["a non-JSON payload", (typ) => signedRawPayload("not json", typ)],
    ["an array payload", (typ) => signedRawPayload("[1,2,3]", typ)],
    // auth_time moves back with iat: a session cannot begin after its token was issued.
    ["expired", (typ) => signedToken(liveClaims({ auth_time: now() - 7200, iat: now() - 7200, exp: now() - 3600 }), { typ })],
    ["not yet valid", (typ) => signedToken(liveClaims({ nbf: now() + 3600 }), { typ })],
    ["issued in the future", (typ) => signedToken(liveClaims({ iat: now() + 3600, exp: now() + 7200 }), { typ })],
    ["a wrong issuer", (typ) => signedToken(liveClaims({ iss: "elsewhere" }), { typ })],
    ["no issuer", (typ) => signedToken(liveClaims({ iss: undefined }), { typ })],
    ["a wrong audience", (typ) => signedToken(liveClaims({ aud: "another-app" }), { typ })],
    ["no audience", (typ) => signedToken(liveClaims({ aud: undefined }), { typ })],
    ["no typ", () => signedToken(liveClaims(), { typ: undefined })],
    ["an unknown crit header", (typ) => signedToken(liveClaims(), { typ, crit: ["x-ext"], "x-ext": 1 })],
    ["a refresh token", () => realRefreshToken],
    ["garbage", () => "not-a-token"],
  ];

  /** A payload that is not a JSON object, signed with the real key of the token's kind. */
  function signedRawPayload(payload: string, typ: string) {
    return signedText(payload, { typ }, (text) => text);
  }

  for (const [name, make] of attacks) {
    test(`${name}: refused by a page, a server action and the API, with nothing written`, async () => {
      const liveBefore = await db.session.count({ where: { userId, revokedAt: null } });

      const cookieToken = await make("JWT");
      expectSignedOut(await getAccount(cookieToken));

      const action = await postForm("/account", {}, { cookie: `${SESSION_COOKIE}=${cookieToken}`, hidden: signOutForm });
      expect(action.status).toBe(303);
      expect(action.location).toBe("/sign-in?next=%2Faccount");

      const api = await getMe(await make("at+jwt"));
      expect(api.status).toBe(401);
      expect(api.wwwAuthenticate).toMatch(/^Bearer error="invalid_token"/);
      expect(JSON.stringify(api.body)).not.toMatch(/stack|at .*\.js/);

      expect(await db.session.count({ where: { userId, revokedAt: null } })).toBe(liveBefore);
    });
  }

  test("the genuine tokens and a correct forgery of the live session pass, so the refusals above are about their defects", async () => {
    expect((await getAccount(realToken)).status).toBe(200);
    expect((await getAccount(await signedToken(liveClaims()))).status).toBe(200);
    expect((await getMe(realAccessToken)).status).toBe(200);
    // A cookie token is not an access token: the API refuses it even though it verifies as a cookie.
    expect((await getMe(realToken)).status).toBe(401);
  });
});

test.describe("A correctly signed token", () => {
  test("is signed out once its user has been deleted", async ({ signedInAs }) => {
    const { email, token: cookieToken } = await signedInAs();
    const accessToken = await signedToken(decodeClaims(cookieToken), { typ: "at+jwt" });
    expect((await getAccount(cookieToken)).status).toBe(200);
    expect((await getMe(accessToken)).status).toBe(200);

    await db.user.delete({ where: { email } });

    // The page sends it where the cookie is deleted, and from there back to the page, which the gate, with no
    // cookie, sends to sign in.
    const answer = await getAccount(cookieToken);
    expect(answer.status).toBe(307);
    expect(answer.location).toBe("/session/ended?next=%2Faccount");
    const ended = await fetch(new URL(answer.location!, baseURL), { headers: { cookie: `${SESSION_COOKIE}=${cookieToken}` }, redirect: "manual" });
    expect(ended.headers.get("location")).toBe("/account");
    expect(ended.headers.getSetCookie().some((line) => line.startsWith(`${SESSION_COOKIE}=;`))).toBe(true);
    expect((await getMe(accessToken)).status).toBe(401);
  });
});

test.describe("A signed-out token", () => {
  test.use({ signedIn: true });

  test("stays dead with its signature re-encoded: the denylist matches the session, not the text", async ({ page }) => {
    await page.goto("/account");
    const token = (await sessionCookie(page.context()))!.value;
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL("/");

    // The last base64url character of an HMAC-SHA-256 signature carries 2 unused bits: changing them changes the
    // text, not the bytes.
    const signature = (spelling: string) => Buffer.from(spelling.split(".")[2]!, "base64url");
    const variants = siblingSignatures(token);
    expect(variants).toHaveLength(3);
    for (const variant of variants) expect(signature(variant)).toEqual(signature(token));
    for (const text of [token, ...variants]) {
      expect((await getAccount(text)).status).toBe(307);
    }
  });
});

test.describe("Token and cookie size", () => {
  test("the app never sets a cookie over 4096 bytes, and the session token carries no personal data", async ({ page }) => {
    const email = await signUp(page);
    const cookie = (await sessionCookie(page.context()))!;
    expect(`${cookie.name}=${cookie.value}`.length).toBeLessThan(4096);
    expect(JSON.stringify(decodeClaims(cookie.value))).not.toContain(email.split("@")[0]);
  });

  test("a 20 KB cookie header and a 200 KB token get a 4xx, and the server goes on serving a signed-in person", async ({
    page,
    signedInAs,
  }) => {
    await signedInAs();
    await page.goto("/account");
    const bigCookie = await fetch(`${baseURL}/account`, { headers: { cookie: `${SESSION_COOKIE}=${"a".repeat(20 * 1024)}` }, redirect: "manual" });
    expect(bigCookie.status).toBeGreaterThanOrEqual(400);
    expect(bigCookie.status).toBeLessThan(500);
    const bigToken = await fetch(`${baseURL}/api/me`, { headers: { authorization: `Bearer ${"a".repeat(200 * 1024)}` } });
    expect(bigToken.status).toBeGreaterThanOrEqual(400);
    expect(bigToken.status).toBeLessThan(500);
    // Headers that large never reach the app (Node refuses them): the person's own requests still do.
    expect([bigCookie.status, bigToken.status]).toEqual([431, 431]);
    await page.reload();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  });
});
