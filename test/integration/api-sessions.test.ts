// API sessions keep the browser's promises, against the real database (SQLite, or PostgreSQL with
// TEST_DATABASE=postgresql): a session unused past the idle timeout is over, and a refresh token presented again
// within the reuse grace period (5 s by default) gets its one successor instead of ending the session.
import { describe, expect, it } from "vitest";
import { sessionConfig } from "@/lib/config";
import { db } from "@/lib/db/db.server";
import { authenticateBearer, openApiSession, refreshTokens, revokeToken } from "@/lib/sessions/bearer.server";
import { introspect } from "@/lib/sessions/introspection.server";
import { createSession, findLiveSession, listActiveSessions } from "@/lib/sessions/store.server";
import { rotateRefreshToken, spendRefreshToken } from "@/lib/sessions/refresh-tokens.server";
import { signAccessToken, verifyAccessToken } from "@/lib/tokens/access-tokens.server";
import { createUser, deleteUser, listUsers } from "@/lib/users/store.server";
import { hashOpaqueToken } from "@/lib/tokens/opaque-tokens.server";
import { overlapping, pauseConnections, pauseStatements, waitingBackend } from "../support/failing-statement";
import { newEmail, PASSWORD } from "../support/people";

const client = { userAgent: "curl/8.5.0", ipPrefix: "203.0.113.0/24" };
const newUser = () => createUser(newEmail("api-sessions"), PASSWORD);
const failureOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);
const secondsFromNow = (seconds: number) => new Date(Date.now() + seconds * 1000);

/** The session's refresh tokens as the database holds them: how many, and how many may still be spent. */
async function refreshRows(sessionId: string) {
  const rows = await db.refreshToken.findMany({ where: { sessionId }, select: { spentAt: true } });
  return { total: rows.length, live: rows.filter((row) => row.spentAt === null).length };
}

/** Moves a session's last activity into the past, as if nobody had used it since. */
async function unusedFor(sessionId: string, seconds: number) {
  await db.session.update({ where: { id: sessionId }, data: { lastSeenAt: secondsFromNow(-seconds) } });
}

describe("an API session's idle timeout", () => {
  it("ends a session unused past it: a refresh is refused and writes nothing, its access token opens nothing", async () => {
    const user = await newUser();
    const { sessionId, access_token: access, refresh_token: refresh } = await openApiSession(user, client);
    await unusedFor(sessionId, sessionConfig().idleTimeoutSeconds + 1);
    const before = await db.session.findUniqueOrThrow({ where: { id: sessionId } });

    expect(await failureOf(refreshTokens(refresh))).toMatchObject({ status: 401, error: "invalid_grant" });
    expect(await failureOf(authenticateBearer(`Bearer ${access}`))).toMatchObject({ status: 401, error: "invalid_token" });
    expect(await findLiveSession(sessionId)).toBeNull();
    expect(await listActiveSessions(user.id)).toEqual([]);
    expect((await listUsers()).find((listed) => listed.id === user.id)?.activeSessions).toBe(0);
    // Nothing changed: no token spent or stored, the session neither touched nor revived.
    expect(await refreshRows(sessionId)).toEqual({ total: 1, live: 1 });
    expect(await db.session.findUniqueOrThrow({ where: { id: sessionId } })).toEqual(before);
  });

  it("is measured from the last use: an access token presented, an introspection or a refresh", async () => {
    const user = await newUser();
    const idle = sessionConfig().idleTimeoutSeconds;
    const { sessionId, access_token: access, refresh_token: refresh } = await openApiSession(user, client);
    const uses: Record<string, () => Promise<unknown>> = {
      "a Bearer request": () => authenticateBearer(`Bearer ${access}`),
      "an introspection": () => introspect(access, "tessera"),
      "a refresh": () => refreshTokens(refresh),
    };
    for (const [name, use] of Object.entries(uses)) {
      await unusedFor(sessionId, idle - 120);
      await use();
      const { lastSeenAt } = await db.session.findUniqueOrThrow({ where: { id: sessionId } });
      expect(Date.now() - lastSeenAt.getTime(), name).toBeLessThan(60_000);
    }
    // Alive a whole idle period after that refresh, less a minute; over just after it.
    expect(await findLiveSession(sessionId, secondsFromNow(idle - 60))).not.toBeNull();
    expect(await findLiveSession(sessionId, secondsFromNow(idle + 1))).toBeNull();
  });

  it("leaves browser sessions to their cookie, which carries the idle timeout itself", async () => {
    const user = await newUser();
    const session = await createSession({ userId: user.id, kind: "browser", client });
    await unusedFor(session.id, sessionConfig().idleTimeoutSeconds + 1);
    expect(await findLiveSession(session.id)).not.toBeNull();
  });
});

describe("the refresh reuse grace period", () => {
  it("a burst of 20 refreshes with one token all succeed with one successor; exactly one refresh token stays live", async () => {
    const user = await newUser();
    const { sessionId, refresh_token: refresh } = await openApiSession(user, client);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => refreshTokens(refresh)));

    const pairs = results.map((result) => (result.status === "fulfilled" ? result.value : result.reason));
    for (const pair of pairs) expect(pair).toMatchObject({ token_type: "Bearer" });
    const successors = new Set(pairs.map((pair) => pair.refresh_token));
    expect(successors.size).toBe(1);
    // Each got an access token of its own, every one of them good.
    expect(new Set(pairs.map((pair) => pair.access_token)).size).toBe(20);
    for (const pair of pairs) await expect(authenticateBearer(`Bearer ${pair.access_token}`)).resolves.toMatchObject({ id: user.id });
    expect(await refreshRows(sessionId)).toEqual({ total: 2, live: 1 });

    // The client carries on with the successor, as if nothing had raced.
    const [successor] = successors;
    const next = await refreshTokens(successor!);
    expect(await refreshRows(sessionId)).toEqual({ total: 3, live: 1 });
    await expect(authenticateBearer(`Bearer ${next.access_token}`)).resolves.toMatchObject({ id: user.id });
  });

  it("a replay after the grace period ends the session", async () => {
    const user = await newUser();
    const { sessionId, refresh_token: refresh } = await openApiSession(user, client);
    const next = await refreshTokens(refresh);
    await expect(rotateRefreshToken(refresh, secondsFromNow(6))).rejects.toMatchObject({ code: "reused" });
    expect(await findLiveSession(sessionId)).toBeNull();
    expect(await failureOf(refreshTokens(next.refresh_token))).toMatchObject({ status: 401, error: "invalid_grant" });
  });

  it("within the grace period, a token whose successor was already spent is a reuse: it ends the session", async () => {
    const user = await newUser();
    const { sessionId, refresh_token: first } = await openApiSession(user, client);
    const second = await refreshTokens(first);
    const third = await refreshTokens(second.refresh_token);
    expect(await failureOf(refreshTokens(first))).toMatchObject({ status: 401, error: "invalid_grant" });
    expect(await findLiveSession(sessionId)).toBeNull();
    expect(await failureOf(refreshTokens(third.refresh_token))).toMatchObject({ status: 401 });
  });

  it("hands nothing to a token of an ended session, and mints nothing for a repeat", async () => {
    const user = await newUser();
    const { sessionId, refresh_token: refresh } = await openApiSession(user, client);
    await refreshTokens(refresh);
    await db.session.update({ where: { id: sessionId }, data: { revokedAt: new Date() } });
    expect(await failureOf(refreshTokens(refresh))).toMatchObject({ status: 401, error: "invalid_grant" });
    expect(await refreshRows(sessionId)).toEqual({ total: 2, live: 1 });
  });

  it("spends nothing for a session past an absolute timeout shortened since it began: the client's retry is not taken for theft", async () => {
    const user = await newUser();
    const { sessionId, refresh_token: refresh } = await openApiSession(user, client);
    // Signed in longer ago than the absolute timeout now configured (an operator shortened it), under a longer
    // one: the row still lives, and no token may be signed for the session any more.
    const createdAt = secondsFromNow(-sessionConfig().absoluteTimeoutSeconds - 60);
    await db.session.update({ where: { id: sessionId }, data: { createdAt } });
    const before = await db.session.findUniqueOrThrow({ where: { id: sessionId } });

    for (let attempt = 0; attempt < 2; attempt++) {
      expect(await failureOf(refreshTokens(refresh))).toMatchObject({ status: 401, error: "invalid_grant" });
      expect(await refreshRows(sessionId)).toEqual({ total: 1, live: 1 });
      expect(await db.session.findUniqueOrThrow({ where: { id: sessionId } })).toEqual(before);
    }
  });

  it("never stores a refresh token but as its hash", async () => {
    const user = await newUser();
    const { sessionId, refresh_token: refresh } = await openApiSession(user, client);
    const { refresh_token: successor } = await refreshTokens(refresh);
    const rows = JSON.stringify(await db.refreshToken.findMany({ where: { sessionId } }));
    expect(rows).not.toContain(refresh);
    expect(rows).not.toContain(successor);
  });
});

describe.runIf(process.env.TEST_DATABASE === "postgresql")("a race of refreshes on PostgreSQL", () => {
  it("the refreshes that lost wait for the winner alone, not for one another", async () => {
    const user = await newUser();
    const { sessionId, refresh_token: refresh } = await openApiSession(user, client);
    // Each loser is held inside its transaction right after its losing write: if that write kept the token's row
    // locked, as a losing spend does, the other loser would wait for it (in a burst of 50 across two instances
    // such waits queued up past the statement timeout).
    const losers = await pauseConnections("refresh_tokens");
    const winner = await pauseStatements("refresh_tokens", "UPDATE", `NEW."tokenHash" = '${hashOpaqueToken(refresh)}'`);
    try {
      const first = rotateRefreshToken(refresh);
      await winner.held();
      const winnerPid = await waitingBackend(`wait_event = 'advisory' AND query ILIKE '%refresh_tokens%'`);
      // Another file's trigger for its own rows, waiting for the table, is not one of them.
      const refreshing = (blockedBy: string) => waitingBackend(`query NOT ILIKE '%TRIGGER%' AND ${blockedBy}`);
      const second = rotateRefreshToken(refresh);
      const secondPid = await refreshing(`${winnerPid} = ANY(pg_blocking_pids(pid))`);
      const third = rotateRefreshToken(refresh);
      const thirdPid = await refreshing(`pid <> ${secondPid} AND pg_blocking_pids(pid) && ARRAY[${winnerPid}, ${secondPid}]`);
      await losers.hold(secondPid);
      await losers.hold(thirdPid);
      await winner.resume();
      // Both get past their losing write; a loser left waiting for the other is cancelled by the 5 s statement timeout.
      await Promise.all([losers.held(secondPid, 10_000), losers.held(thirdPid, 10_000)]);
      await losers.release();

      const rotations = await Promise.all([first, second, third]);
      expect(rotations.map((rotation) => rotation.repeated)).toEqual([false, true, true]);
      expect(new Set(rotations.map((rotation) => rotation.refreshToken)).size).toBe(1);
      expect(await refreshRows(sessionId)).toEqual({ total: 2, live: 1 });
    } finally {
      await losers.release();
      await winner.release();
    }
  });

  it("a token spent elsewhere after the refresh stored its successor leaves no live successor behind", async () => {
    const user = await newUser();
    const { sessionId, refresh_token: refresh } = await openApiSession(user, client);
    const stored = await pauseStatements("refresh_tokens", "INSERT", `NEW."sessionId" = '${sessionId}'`);
    let rotation: Promise<unknown>;
    try {
      rotation = failureOf(rotateRefreshToken(refresh));
      await stored.held();
      // Spent by another instance under another secret, whose successor this one cannot recognise: here, a spend.
      await spendRefreshToken(refresh);
    } finally {
      await stored.release();
    }
    expect(await rotation).toMatchObject({ code: "reused" });
    expect(await refreshRows(sessionId)).toEqual({ total: 1, live: 0 });
  });

  it("a refresh whose account is deleted after it read the token is refused as invalid, not as an outage", async () => {
    const user = await newUser();
    const { sessionId, refresh_token: refresh } = await openApiSession(user, client);
    // Held after its read, before it stores the successor: the deletion, which this refresh has locked nothing
    // against, takes the session and its tokens with it and commits first.
    const storing = await pauseStatements("refresh_tokens", "INSERT", `NEW."sessionId" = '${sessionId}'`, { timing: "BEFORE" });
    let rotation: Promise<unknown>;
    try {
      rotation = failureOf(refreshTokens(refresh));
      await storing.held();
      await deleteUser(user.id);
    } finally {
      await storing.release();
    }
    // What a client does with it: invalid_grant means sign in again; "temporarily unavailable" would mean retry.
    expect(await rotation).toMatchObject({ status: 401, error: "invalid_grant" });
    expect(await refreshRows(sessionId)).toEqual({ total: 0, live: 0 });
  });

  it("an account deleted while a refresh is under way waits for it, and both finish: no deadlock", async () => {
    const user = await newUser();
    const { sessionId, refresh_token: refresh } = await openApiSession(user, client);
    // The refresh held after its first write, the deletion then queued behind it, then the refresh goes on. The
    // deletion locks the account, its sessions, then their tokens: a refresh that locked the token first (a spend
    // before the successor's insert, whose foreign key share-locks the session) would wait for the deletion while
    // the deletion waits for it.
    const firstWrite = await pauseStatements("refresh_tokens", "INSERT OR UPDATE", `NEW."sessionId" = '${sessionId}'`);
    const [refreshed, deleted] = await overlapping(firstWrite, () => refreshTokens(refresh), () => deleteUser(user.id));
    expect([refreshed.status, deleted.status]).toEqual(["fulfilled", "fulfilled"]);
    expect(await db.user.findUnique({ where: { id: user.id } })).toBeNull();
    expect(await refreshRows(sessionId)).toEqual({ total: 0, live: 0 });
  });
});

describe("revoking an access token (RFC 7009)", () => {
  it("ends its session even once the token has expired, as a client signing out may hold one; a tampered copy ends nothing", async () => {
    const user = await newUser();
    const { sessionId } = await openApiSession(user, client);
    // Signed in a while ago; its access token, from then, has expired.
    const issuedAt = secondsFromNow(-2 * sessionConfig().accessTokenTtlSeconds);
    const createdAt = new Date(issuedAt.getTime() - 60_000);
    await db.session.update({ where: { id: sessionId }, data: { createdAt } });
    const subject = { userId: user.id, sessionId, role: user.role, authTime: createdAt };
    const { token: expired } = await signAccessToken(subject, undefined, issuedAt);
    expect(await failureOf(verifyAccessToken(expired))).toMatchObject({ code: "expired" });

    const [header, payload, signature] = expired.split(".");
    const flipped = `${signature!.slice(0, 10)}${signature![10] === "A" ? "B" : "A"}${signature!.slice(11)}`;
    await revokeToken(`${header}.${payload}.${flipped}`);
    expect(await findLiveSession(sessionId)).not.toBeNull();

    await revokeToken(expired);
    expect(await findLiveSession(sessionId)).toBeNull();
  });
});
