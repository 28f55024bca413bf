// Cookies that must not sign anyone in: each is treated as signed out and deleted.
import { expect, test } from "@playwright/test";
import { b64url, unsigned } from "../test/support/forge";
import { db } from "./support/db";
import { claimsFor, SESSION_COOKIE, sessionCookie, signedToken } from "./support/session";
import { signUp } from "./support/users";
import { baseURL } from "./support/server";

async function get(path: string, token: string) {
  const response = await fetch(new URL(path, baseURL), {
    headers: { cookie: `${SESSION_COOKIE}=${token}` },
    redirect: "manual",
  });
  return { status: response.status, location: response.headers.get("location"), setCookie: response.headers.getSetCookie() };
}

test.describe("A session cookie that fails verification", () => {
  let userId: string;
  let realToken: string;

  test.beforeAll(async ({ browser }) => {
    const page = await browser.newPage();
    await signUp(page);
    realToken = (await sessionCookie(page.context()))!.value;
    userId = JSON.parse(Buffer.from(realToken.split(".")[1]!, "base64url").toString()).sub;
    await page.close();
  });

  const attacks: [string, () => Promise<string> | string][] = [
    ["tampered (another user id, old signature)", () => {
      const [header, , signature] = realToken.split(".");
      return `${header}.${b64url(JSON.stringify(claimsFor("someone-else")))}.${signature}`;
    }],
    ["truncated", () => realToken.slice(0, -10)],
    ["expired", () => signedToken(claimsFor(userId, { iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 }))],
    ["signed with another key", async () => {
      const { signRaw } = await import("../test/support/forge");
      return signRaw({ alg: "HS256", typ: "JWT" }, JSON.stringify(claimsFor(userId)), new Uint8Array(32).fill(9));
    }],
    ["alg none", () => unsigned("none", claimsFor(userId))],
    ["alg NoNe", () => unsigned("NoNe", claimsFor(userId))],
    ["from another issuer", () => signedToken(claimsFor(userId, { iss: "elsewhere" }))],
    ["garbage", () => "not-a-token"],
  ];

  for (const [name, make] of attacks) {
    test(`${name}: a protected page answers exactly as with no cookie, and the cookie is deleted`, async () => {
      const token = await make();
      const answer = await get("/account", token);
      expect(answer.status).toBe(307);
      expect(answer.location).toBe("/sign-in?next=%2Faccount");
      expect(answer.setCookie.join()).toMatch(/__Host-session=;.*Max-Age=0/);

      const publicPage = await get("/", token);
      expect(publicPage.status).toBe(200);
      expect(publicPage.setCookie.join()).toMatch(/__Host-session=;.*Max-Age=0/);
    });
  }

  test("a valid signature for a user who no longer exists is signed out too", async () => {
    const token = await signedToken(claimsFor("deleted-user-id"));
    // Middleware cannot know; the data access layer does.
    const answer = await get("/account", token);
    expect(answer.status).toBe(307);
    expect(answer.location).toBe("/sign-in?next=%2Faccount");
    expect(await db.user.count({ where: { id: "deleted-user-id" } })).toBe(0);
  });

  test("the real cookie still works, so the rejections above are about their defects", async () => {
    const answer = await get("/account", realToken);
    expect(answer.status).toBe(200);
    expect(answer.setCookie).toEqual([]);
  });
});
