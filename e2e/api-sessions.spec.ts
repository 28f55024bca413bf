// API sessions keep the promises browser sessions keep, over real HTTP against the production build: the idle
// timeout ends an unused one, and a client's parallel refreshes (within REFRESH_REUSE_GRACE_SECONDS, 5 s here)
// leave it signed in with one live refresh token, while a replay later still ends the session.
import { createHash } from "node:crypto";
import { db } from "./support/db";
import { startServer } from "./support/extra-server";
import { expect, test } from "./support/fixtures";
import { baseURL } from "./support/server";
import { PASSWORD } from "./support/users";

interface TokenAnswer {
  status: number;
  body: { access_token?: string; refresh_token?: string; error?: string };
}

async function post(server: string, path: string, body: unknown): Promise<TokenAnswer> {
  const response = await fetch(`${server}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}
const signIn = async (email: string, server = baseURL) => (await post(server, "/api/auth/token", { email, password: PASSWORD })).body;
const refresh = (refreshToken: string, server = baseURL) => post(server, "/api/auth/refresh", { refresh_token: refreshToken });
const me = async (accessToken: string, server = baseURL) =>
  (await fetch(`${server}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

/** The API session a refresh token belongs to, and its refresh tokens as the database holds them. */
async function sessionOf(refreshToken: string) {
  const { sessionId } = await db.refreshToken.findUniqueOrThrow({ where: { tokenHash: hashOf(refreshToken) } });
  const rows = await db.refreshToken.findMany({ where: { sessionId }, select: { spentAt: true } });
  const session = await db.session.findUniqueOrThrow({ where: { id: sessionId } });
  return { session, total: rows.length, live: rows.filter((row) => row.spentAt === null).length };
}

test.describe("An API session", { tag: "@db" }, () => {
  test("unused past the idle timeout is over: a refresh answers 401 invalid_grant and changes nothing", async ({ newPerson }) => {
    const { email } = await newPerson();
    const { access_token: access, refresh_token: refreshToken } = await signIn(email);
    expect(await me(access!)).toBe(200);
    // Nobody has used it for a day and a second (SESSION_IDLE_TIMEOUT_SECONDS is a day here).
    const { session } = await sessionOf(refreshToken!);
    await db.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date(Date.now() - 86_401_000) } });
    const before = await sessionOf(refreshToken!);

    const answer = await refresh(refreshToken!);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: "invalid_grant" });
    expect(answer.body.refresh_token).toBeUndefined();
    expect(await me(access!)).toBe(401);
    expect(await sessionOf(refreshToken!)).toEqual(before);
  });

  test("signed in longer ago than the absolute timeout now allows: a burst of refreshes, each 401 invalid_grant, spends nothing", async ({
    newPerson,
  }) => {
    const { email } = await newPerson();
    const { refresh_token: refreshToken } = await signIn(email);
    // Opened under a longer SESSION_ABSOLUTE_TIMEOUT_SECONDS than the server's (30 days): its row still lives, but
    // no token may be signed for it. The refresh must fail before it spends, or each retry would look like theft.
    const { session } = await sessionOf(refreshToken!);
    await db.session.update({ where: { id: session.id }, data: { createdAt: new Date(Date.now() - 31 * 86_400_000) } });
    const before = await sessionOf(refreshToken!);

    const answers = await Promise.all(Array.from({ length: 5 }, () => refresh(refreshToken!)));
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ error: "invalid_grant" });
    }
    expect(await sessionOf(refreshToken!)).toEqual(before);
  });

  test("a burst of 20 refreshes with one token: every one 200 with the same successor, one live refresh token, still signed in", async ({
    newPerson,
  }) => {
    const { email } = await newPerson();
    const { refresh_token: refreshToken } = await signIn(email);
    const answers = await Promise.all(Array.from({ length: 20 }, () => refresh(refreshToken!)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    const successors = new Set(answers.map((answer) => answer.body.refresh_token));
    expect(successors.size).toBe(1);
    for (const answer of answers) expect(await me(answer.body.access_token!)).toBe(200);
    expect(await sessionOf(refreshToken!)).toMatchObject({ total: 2, live: 1 });

    const [successor] = successors;
    const next = await refresh(successor!);
    expect(next.status).toBe(200);
    expect(await me(next.body.access_token!)).toBe(200);
    expect(await sessionOf(refreshToken!)).toMatchObject({ total: 3, live: 1 });
  });

  test("a spent refresh token replayed after the grace period ends the session", async ({ newPerson }) => {
    const { email } = await newPerson();
    const { refresh_token: first } = await signIn(email);
    const rotated = await refresh(first!);
    expect((await refresh(first!)).body.refresh_token).toBe(rotated.body.refresh_token);
    // Spent six seconds ago, as a replay by someone who copied it would find it.
    await db.refreshToken.update({ where: { tokenHash: hashOf(first!) }, data: { spentAt: new Date(Date.now() - 6_000) } });

    const replay = await refresh(first!);
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ error: "invalid_grant" });
    expect(await me(rotated.body.access_token!)).toBe(401);
    expect((await refresh(rotated.body.refresh_token!)).status).toBe(401);
    expect((await sessionOf(first!)).session.revokedAt).not.toBeNull();
  });
});

test.describe("With REFRESH_REUSE_GRACE_SECONDS=0", { tag: "@db" }, () => {
  test("a burst of refreshes with one token is a reuse, as before: one 200, the others 401, and the session ends", async ({
    newPerson,
  }) => {
    const app = await startServer({ REFRESH_REUSE_GRACE_SECONDS: "0" });
    try {
      const { email } = await newPerson();
      const { refresh_token: refreshToken } = await signIn(email, app.url);
      const answers = await Promise.all(Array.from({ length: 20 }, () => refresh(refreshToken!, app.url)));
      const winners = answers.filter((answer) => answer.status === 200);
      expect(winners).toHaveLength(1);
      expect(answers.filter((answer) => answer.status === 401)).toHaveLength(19);
      expect(await me(winners[0]!.body.access_token!, app.url)).toBe(401);
      expect((await refresh(winners[0]!.body.refresh_token!, app.url)).status).toBe(401);
    } finally {
      await app.stop();
    }
  });
});
