// Rotating the signing key signs no one out; retiring the old key ends its tokens. Each step is a restart with
// new settings, as an operator does it (README: "Rotating the signing key").
import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { readSessionConfig } from "../lib/config";
import { toRole } from "../lib/tokens/roles";
import { signSessionToken } from "../lib/tokens/jwt";
import { startServer } from "./support/extra-server";
import { decodeClaims, SESSION_COOKIE } from "./support/session";
import { newEmail, PASSWORD, signIn, signUp } from "./support/users";

const newKey = () => randomBytes(32).toString("base64");
const kidOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()).kid;
const cookieOf = async (page: Page) => (await page.context().cookies()).find((c) => c.name === SESSION_COOKIE)!.value;
const visitAccount = (url: string, token: string) =>
  fetch(`${url}/account`, { headers: { cookie: `${SESSION_COOKIE}=${token}` }, redirect: "manual" });
const accountStatus = async (url: string, token: string) => (await visitAccount(url, token)).status;

/** The session cookie a response sets, if any. */
const cookieSetBy = (response: Response) =>
  response.headers.getSetCookie().find((line) => line.startsWith(`${SESSION_COOKIE}=`))?.split(";")[0]!.slice(SESSION_COOKIE.length + 1);

/**
 * The same session's cookie as the server would have signed it with `key` when the person signed in some minutes
 * ago and has not been back since: old enough to be renewed on their next request.
 */
async function cookieSignedEarlier(token: string, key: string, minutesAgo: number): Promise<string> {
  const claims = decodeClaims(token);
  const then = new Date(Date.now() - minutesAgo * 60_000);
  // A token is never issued before its session began: the session begins then too.
  const subject = { userId: claims.sub as string, sessionId: claims.sid as string, role: toRole(String(claims.role)), authTime: then };
  const config = readSessionConfig({ SESSION_SECRET: key, NODE_ENV: "production" });
  return (await signSessionToken(subject, config, then)).token;
}

test("sign with key 1, rotate to key 2: old tokens verify until key 1 is retired, new ones use key 2", async ({
  browser,
}) => {
  // Three server starts: generous on a loaded two-core machine.
  test.setTimeout(120_000);
  const [key1, key2] = [newKey(), newKey()];
  const email = newEmail("rotation");

  let server = await startServer({ SESSION_SECRET: key1 });
  const before = await (await browser.newContext()).newPage();
  await signUp(before, email, PASSWORD, server.url);
  const oldToken = await cookieOf(before);
  await server.stop();

  // Rotate: key 2 signs, key 1 still verifies. Nobody is signed out.
  server = await startServer({ SESSION_SECRET: key2, SESSION_PREVIOUS_SECRETS: key1 });
  let newToken: string;
  let renewedToken: string;
  try {
    expect(await accountStatus(server.url, oldToken)).toBe(200);

    // A key 1 cookie old enough to renew comes back from its next request re-signed with key 2.
    const agedToken = await cookieSignedEarlier(oldToken, key1, 10);
    expect(kidOf(agedToken)).toBe(kidOf(oldToken));
    const visit = await visitAccount(server.url, agedToken);
    expect(visit.status).toBe(200);
    renewedToken = cookieSetBy(visit)!;
    expect(renewedToken).toBeTruthy();
    expect(decodeClaims(renewedToken).sid).toBe(decodeClaims(oldToken).sid);

    const after = await (await browser.newContext()).newPage();
    await after.goto(`${server.url}/sign-in`);
    await signIn(after, email);
    await expect(after).toHaveURL(`${server.url}/account`);
    newToken = await cookieOf(after);
    expect(kidOf(newToken)).not.toBe(kidOf(oldToken));
    expect(kidOf(renewedToken)).toBe(kidOf(newToken));
  } finally {
    await server.stop();
  }

  // Retire key 1: its tokens are refused, key 2's still work.
  server = await startServer({ SESSION_SECRET: key2 });
  try {
    expect(await accountStatus(server.url, oldToken)).toBe(307);
    expect(await accountStatus(server.url, newToken)).toBe(200);
    // Renewed during the rotation: still signed in once key 1 is gone.
    expect(await accountStatus(server.url, renewedToken)).toBe(200);
  } finally {
    await server.stop();
  }
});
