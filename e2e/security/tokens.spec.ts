// Tokens that must not sign anyone in, each sent to a page, a server action and a route handler. A page answers
// exactly as with no cookie (307 to sign-in, cookie deleted); a server action gets the signed-out treatment; the
// API answers 401. Nothing is written.
import { expect, test } from "@playwright/test";
import { b64url, signRaw, unsigned } from "../../test/support/forge";
import { db } from "../support/db";
import { hiddenFields, postForm } from "../support/forms";
import { baseURL } from "../support/server";
import { claimsFor, decodeClaims, SESSION_COOKIE, sessionCookie, signedToken } from "../support/session";
import { signUp } from "../support/users";

const now = () => Math.floor(Date.now() / 1000);

async function getAccount(token: string) {
  const response = await fetch(`${baseURL}/account`, { headers: { cookie: `${SESSION_COOKIE}=${token}` }, redirect: "manual" });
  return { status: response.status, location: response.headers.get("location"), setCookie: response.headers.getSetCookie() };
}

async function getMe(token: string) {
  const response = await fetch(`${baseURL}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json(), wwwAuthenticate: response.headers.get("www-authenticate") };
}

test.describe("A token that fails verification", () => {
  let userId: string;
  let realToken: string;
  let signOutForm: [string, string][];

  test.beforeAll(async ({ browser }) => {
    const page = await browser.newPage();
    await signUp(page);
    realToken = (await sessionCookie(page.context()))!.value;
    userId = decodeClaims(realToken).sub as string;
    signOutForm = await hiddenFields("/account", `${SESSION_COOKIE}=${realToken}`);
    await page.close();
  });

  // Each makes a token from the real one's claims (so only its one defect differs). `typ` is the token kind:
  // "JWT" for the cookie, "at+jwt" for the API.
  const attacks: [string, (typ: string) => Promise<string> | string][] = [
    ["alg none", () => unsigned("none", claimsFor(userId))],
    ["alg nOnE", () => unsigned("nOnE", claimsFor(userId))],
    ["alg HS512 with the real key", (typ) => signedToken(claimsFor(userId), { alg: "HS512", typ })],
    ["signed with another key", (typ) =>
      signRaw({ alg: "HS256", typ }, JSON.stringify(claimsFor(userId)), new Uint8Array(32).fill(9))],
    ["an embedded jwk", (typ) =>
      signRaw({ alg: "HS256", typ, jwk: { kty: "oct", k: b64url(new Uint8Array(32).fill(9)) } }, JSON.stringify(claimsFor(userId)), new Uint8Array(32).fill(9))],
    ["a jku / x5u", (typ) => signedToken(claimsFor(userId), { typ, jku: "https://attacker.example/k", x5u: "https://attacker.example/c", kid: undefined })],
    ["a path kid", (typ) => signedToken(claimsFor(userId), { typ, kid: "../../../dev/null" })],
    ["an SQL kid", (typ) => signedToken(claimsFor(userId), { typ, kid: "' OR 1=1 --" })],
    ["a changed claim with the old signature", () => {
      const [header, , signature] = realToken.split(".");
      return `${header}.${b64url(JSON.stringify({ ...decodeClaims(realToken), role: "admin" }))}.${signature}`;
    }],
    ["a stripped signature", () => realToken.split(".").slice(0, 2).join(".") + "."],
    ["2 segments", () => realToken.split(".").slice(0, 2).join(".")],
    ["5 segments", () => `${realToken}.${realToken.split(".").slice(0, 2).join(".")}`],
    ["a non-JSON payload", (typ) => signedRawPayload("not json", typ)],
    ["an array payload", (typ) => signedRawPayload("[1,2,3]", typ)],
    ["expired", (typ) => signedToken(claimsFor(userId, { iat: now() - 7200, exp: now() - 3600 }), { typ })],
    ["not yet valid", (typ) => signedToken(claimsFor(userId, { nbf: now() + 3600 }), { typ })],
    ["issued in the future", (typ) => signedToken(claimsFor(userId, { iat: now() + 3600, exp: now() + 7200 }), { typ })],
    ["a wrong issuer", (typ) => signedToken(claimsFor(userId, { iss: "elsewhere" }), { typ })],
    ["no issuer", (typ) => signedToken(claimsFor(userId, { iss: undefined }), { typ })],
    ["a wrong audience", (typ) => signedToken(claimsFor(userId, { aud: "another-app" }), { typ })],
    ["no audience", (typ) => signedToken(claimsFor(userId, { aud: undefined }), { typ })],
    ["no typ", () => signedToken(claimsFor(userId), { typ: undefined })],
    ["an unknown crit header", (typ) => signedToken(claimsFor(userId), { typ, crit: ["x-ext"], "x-ext": 1 })],
    ["a refresh token", () => "q".repeat(43)],
    ["garbage", () => "not-a-token"],
  ];

  async function signedRawPayload(payload: string, typ: string) {
    const { serverSessionConfig } = await import("../support/session");
    const { keyId } = await import("../../lib/session/token");
    const { signingSecret } = serverSessionConfig();
    return signRaw({ alg: "HS256", typ, kid: await keyId(signingSecret) }, payload, signingSecret);
  }

  for (const [name, make] of attacks) {
    test(`${name}: refused by a page, a server action and the API, with nothing written`, async () => {
      const liveBefore = await db.session.count({ where: { userId, revokedAt: null } });

      const cookieToken = await make("JWT");
      const page = await getAccount(cookieToken);
      expect(page.status).toBe(307);
      expect(page.location).toBe("/sign-in?next=%2Faccount");
      expect(page.setCookie.join()).toMatch(/__Host-session=;.*Max-Age=0/);

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

  test("the real token passes all three, so the refusals above are about their defects", async () => {
    expect((await getAccount(realToken)).status).toBe(200);
    // A cookie token is not an access token: the API refuses it even though it verifies as a cookie.
    expect((await getMe(realToken)).status).toBe(401);
  });

  test("a valid signature for a user who no longer exists is signed out too", async () => {
    const token = await signedToken(claimsFor("deleted-user-id"));
    const answer = await getAccount(token);
    expect(answer.status).toBe(307);
    expect(answer.location).toBe("/sign-in?next=%2Faccount");
  });
});

test.describe("A signed-out token", () => {
  test("stays dead with its signature re-encoded: the denylist matches the session, not the text", async ({ page }) => {
    await signUp(page);
    const token = (await sessionCookie(page.context()))!.value;
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL("/");

    // The last base64url character of an HMAC-SHA-256 signature carries 2 unused bits: flipping them changes the
    // text, not the bytes.
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet.indexOf(signature.at(-1)!);
    const variant = `${signature.slice(0, -1)}${alphabet[last ^ 1]}`;
    expect(Buffer.from(variant, "base64url")).toEqual(Buffer.from(signature, "base64url"));
    for (const text of [token, `${header}.${payload}.${variant}`]) {
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

  test("a 20 KB cookie header and a 200 KB token get a quick 4xx", async () => {
    const started = Date.now();
    const bigCookie = await fetch(`${baseURL}/account`, { headers: { cookie: `${SESSION_COOKIE}=${"a".repeat(20 * 1024)}` }, redirect: "manual" });
    expect(bigCookie.status).toBeGreaterThanOrEqual(400);
    expect(bigCookie.status).toBeLessThan(500);
    const bigToken = await fetch(`${baseURL}/api/me`, { headers: { authorization: `Bearer ${"a".repeat(200 * 1024)}` } });
    expect(bigToken.status).toBeGreaterThanOrEqual(400);
    expect(bigToken.status).toBeLessThan(500);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
