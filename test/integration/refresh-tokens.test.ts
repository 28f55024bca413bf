// Refreshing an API session's tokens, through lib/sessions/bearer.server.ts, against the real database (SQLite by
// default, PostgreSQL with TEST_DATABASE=postgresql): the old refresh token is spent and the new one stored
// together or not at all, and a spent one presented again ends the session. With the reuse grace turned off, as
// here, that holds even a moment later (the grace: refresh-reuse-grace.test.ts).
import { afterEach, describe, expect, it, vi } from "vitest";
import { newEmail, PASSWORD } from "../support/people";

vi.stubEnv("REFRESH_REUSE_GRACE_SECONDS", "0");
const { ApiError } = await import("@/lib/http/json-api.server");
const { refreshTokens } = await import("@/lib/sessions/bearer.server");
const { db } = await import("@/lib/db/db.server");
const { issueRefreshToken, RefreshTokenError } = await import("@/lib/sessions/refresh-tokens.server");
const { createSession, findLiveSession } = await import("@/lib/sessions/store.server");
const { createUser } = await import("@/lib/users/store.server");
const { failStatements } = await import("../support/failing-statement");

const client = { userAgent: "curl/8.5.0", ipPrefix: "203.0.113.0/24" };

/** A person with an API session and its first refresh token, as POST /api/auth/token leaves them. */
async function apiClient() {
  const user = await createUser(newEmail("refresh"), PASSWORD);
  const session = await createSession({ userId: user.id, kind: "api", client });
  return { user, session, refreshToken: await issueRefreshToken(session.id, session.expiresAt) };
}

/** What a failed call threw. */
const failureOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);

/**
 * Runs `work` while the database itself refuses to store a new refresh token for one session: a real failure of
 * a refresh's second write, made with a trigger on the table (dropped afterwards, even when `work` fails).
 */
async function whileNewRefreshTokensFail(sessionId: string, work: () => Promise<void>): Promise<void> {
  // Ours are base64url: safe between quotes, and checked so that this stays true.
  expect(sessionId).toMatch(/^[A-Za-z0-9_-]+$/);
  const restore = await failStatements("refresh_tokens", "INSERT", `NEW."sessionId" = '${sessionId}'`);
  try {
    await work();
  } finally {
    await restore();
  }
}

/** The security events logged while `work` ran, as parsed JSON lines. */
async function eventsDuring(work: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
  try {
    await work();
  } finally {
    log.mockRestore();
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

afterEach(() => vi.restoreAllMocks());

describe("refreshing an API session", () => {
  it("when the new refresh token cannot be stored, spends nothing: the same token then refreshes", async () => {
    const { session, refreshToken } = await apiClient();
    await whileNewRefreshTokensFail(session.id, async () => {
      // The database's error, as it is: not a refusal of the token (the route handler answers it with a 503).
      const failure = await failureOf(refreshTokens(refreshToken));
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toBeInstanceOf(ApiError);
      expect(failure).not.toBeInstanceOf(RefreshTokenError);
    });
    expect(await db.refreshToken.findMany({ where: { sessionId: session.id }, select: { spentAt: true } })).toEqual([
      { spentAt: null },
    ]);

    const retried = await refreshTokens(refreshToken);
    expect(retried.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(retried.refresh_token).not.toBe(refreshToken);
    expect(await findLiveSession(session.id)).not.toBeNull();
    await expect(refreshTokens(retried.refresh_token)).resolves.toMatchObject({ token_type: "Bearer" });
  });

  it("logs a reused token with its session and user, never the token itself", async () => {
    const { user, session, refreshToken } = await apiClient();
    const next = await refreshTokens(refreshToken);
    const events = await eventsDuring(async () => {
      expect(await failureOf(refreshTokens(refreshToken))).toMatchObject({ status: 401, error: "invalid_grant" });
    });
    const reused = events.filter((event) => event.event === "token.reused");
    expect(reused).toEqual([expect.objectContaining({ sessionId: session.id, userId: user.id })]);
    expect(JSON.stringify(events)).not.toContain(refreshToken);
    expect(JSON.stringify(events)).not.toContain(next.refresh_token);
    expect(await findLiveSession(session.id)).toBeNull();
  });

  it("of 40 concurrent refreshes with one token, exactly one succeeds; the others are reuse and end the session", async () => {
    const { user, session, refreshToken } = await apiClient();
    let results: PromiseSettledResult<Awaited<ReturnType<typeof refreshTokens>>>[] = [];
    const events = await eventsDuring(async () => {
      results = await Promise.allSettled(Array.from({ length: 40 }, () => refreshTokens(refreshToken)));
    });

    const winners = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    const refusals = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
    expect(winners).toHaveLength(1);
    expect(refusals).toHaveLength(39);
    for (const refusal of refusals) expect(refusal).toMatchObject({ status: 401, error: "invalid_grant" });
    const reused = events.filter((event) => event.event === "token.reused");
    expect(reused).toHaveLength(39);
    for (const event of reused) expect(event).toMatchObject({ sessionId: session.id, userId: user.id });

    expect(await findLiveSession(session.id)).toBeNull();
    expect(await failureOf(refreshTokens(winners[0]!.refresh_token))).toMatchObject({ status: 401 });
  });
});
