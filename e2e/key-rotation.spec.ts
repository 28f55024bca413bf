// Rotating the signing key signs no one out; retiring the old key ends its tokens. Each step is a restart with
// new settings, as an operator does it (README: "Rotating the signing key").
import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { startServer } from "./support/extra-server";
import { SESSION_COOKIE } from "./support/session";
import { newEmail, PASSWORD, signIn, signUp } from "./support/users";

const newKey = () => randomBytes(32).toString("base64");
const kidOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()).kid;
const cookieOf = async (page: Page) => (await page.context().cookies()).find((c) => c.name === SESSION_COOKIE)!.value;
const accountStatus = async (url: string, token: string) =>
  (await fetch(`${url}/account`, { headers: { cookie: `${SESSION_COOKIE}=${token}` }, redirect: "manual" })).status;

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
  try {
    expect(await accountStatus(server.url, oldToken)).toBe(200);
    const after = await (await browser.newContext()).newPage();
    await after.goto(`${server.url}/sign-in`);
    await signIn(after, email);
    await expect(after).toHaveURL(`${server.url}/account`);
    newToken = await cookieOf(after);
    expect(kidOf(newToken)).not.toBe(kidOf(oldToken));
  } finally {
    await server.stop();
  }

  // Retire key 1: its tokens are refused, key 2's still work.
  server = await startServer({ SESSION_SECRET: key2 });
  try {
    expect(await accountStatus(server.url, oldToken)).toBe(307);
    expect(await accountStatus(server.url, newToken)).toBe(200);
  } finally {
    await server.stop();
  }
});
