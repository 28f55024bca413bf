// Sessions and refresh tokens against a real, migrated SQLite file.
import { describe, expect, it } from "vitest";
import { sessionConfig } from "@/lib/config";
import { db } from "@/lib/db/db.server";
import { toDate } from "@/lib/db/raw-values";
import { issueRefreshToken, RefreshTokenError, spendRefreshToken } from "@/lib/sessions/refresh-tokens.server";
import {
  createSession,
  endSession,
  endSessionsOf,
  findLiveSession,
  listActiveSessions,
  purgeEndedSessions,
  touchSession,
} from "@/lib/sessions/store.server";
import { createUser } from "@/lib/users/store.server";
import { newEmail, PASSWORD } from "../support/people";

const newUser = () => createUser(newEmail("sessions"), PASSWORD);
const client = { userAgent: "Mozilla/5.0 test", ipPrefix: "203.0.113.0/24" };

describe("sessions", () => {
  it("are live from creation until they are ended, for their owner only", async () => {
    const user = await newUser();
    const stranger = await newUser();
    const session = await createSession({ userId: user.id, kind: "browser", client });
    expect(await findLiveSession(session.id)).toMatchObject({ id: session.id, user: { id: user.id, role: "user" } });

    expect(await endSession(stranger.id, session.id)).toBe(false);
    expect(await findLiveSession(session.id)).not.toBeNull();

    expect(await endSession(user.id, session.id)).toBe(true);
    expect(await findLiveSession(session.id)).toBeNull();
    expect(await endSession(user.id, session.id)).toBe(false);
  });

  it("are read back in one statement with their times and their owner, as written", async () => {
    const user = await newUser();
    const created = new Date(Date.now() - 5 * 60_000);
    const session = await createSession({ userId: user.id, kind: "browser", client, now: created, method: "password+otp" });
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    const live = await findLiveSession(session.id);
    expect(live).toEqual({
      id: session.id,
      createdAt: created,
      lastSeenAt: created,
      expiresAt: session.expiresAt,
      method: "password+otp",
      authenticatedAt: created,
      user: { id: user.id, email: stored.email, role: "user", createdAt: stored.createdAt, emailVerifiedAt: null, passwordBreachedAt: null },
    });
    for (const date of [live!.createdAt, live!.lastSeenAt, live!.expiresAt, live!.authenticatedAt, live!.user.createdAt]) {
      expect(date).toBeInstanceOf(Date);
    }
    // A confirmed email's date comes back as a Date too, to the millisecond.
    const confirmed = new Date(Date.now() - 60_000);
    await db.user.update({ where: { id: user.id }, data: { emailVerifiedAt: confirmed } });
    expect((await findLiveSession(session.id))?.user.emailVerifiedAt).toEqual(confirmed);
    // So does the date a sign-in found the password breached.
    await db.user.update({ where: { id: user.id }, data: { passwordBreachedAt: confirmed } });
    expect((await findLiveSession(session.id))?.user.passwordBreachedAt).toEqual(confirmed);
    // The boundary: live until the very millisecond of its absolute expiry, over from then on.
    expect(await findLiveSession(session.id, new Date(session.expiresAt.getTime() - 1))).not.toBeNull();
    expect(await findLiveSession(session.id, session.expiresAt)).toBeNull();
    expect(await findLiveSession("no-such-session-id")).toBeNull();
  });

  it("follow their owner's role at once", async () => {
    const user = await newUser();
    const session = await createSession({ userId: user.id, kind: "browser", client });
    await db.user.update({ where: { id: user.id }, data: { role: "admin" } });
    expect((await findLiveSession(session.id))?.user.role).toBe("admin");
  });

  it("are over once past their absolute expiry", async () => {
    const user = await newUser();
    const session = await createSession({ userId: user.id, kind: "browser", client });
    await db.session.update({ where: { id: session.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await findLiveSession(session.id)).toBeNull();
  });

  it("end everywhere else, keeping one", async () => {
    const user = await newUser();
    const [here, laptop, phone] = await Promise.all([1, 2, 3].map(() => createSession({ userId: user.id, kind: "browser", client })));
    expect(await endSessionsOf(user.id, { keep: here!.id })).toBe(2);
    expect((await listActiveSessions(user.id)).map((s) => s.id)).toEqual([here!.id]);
    expect(await findLiveSession(laptop!.id)).toBeNull();
    expect(await findLiveSession(phone!.id)).toBeNull();
  });

  it("list with what a person recognizes them by", async () => {
    const user = await newUser();
    await createSession({ userId: user.id, kind: "api", client });
    const [listed] = await listActiveSessions(user.id);
    expect(listed).toMatchObject({ kind: "api", userAgent: "Mozilla/5.0 test", ipPrefix: "203.0.113.0/24" });
  });

  it("are purged once no token of theirs can verify, and only then", async () => {
    const user = await newUser();
    const expired = await createSession({ userId: user.id, kind: "browser", client });
    const justEnded = await createSession({ userId: user.id, kind: "browser", client });
    const endedLongAgo = await createSession({ userId: user.id, kind: "browser", client });
    const live = await createSession({ userId: user.id, kind: "browser", client });
    await db.session.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await db.session.update({ where: { id: justEnded.id }, data: { revokedAt: new Date() } });
    await db.session.update({ where: { id: endedLongAgo.id }, data: { revokedAt: new Date(Date.now() - 2 * 86_400_000) } });

    await purgeEndedSessions();
    const left = await db.session.findMany({ where: { userId: user.id }, select: { id: true } });
    expect(left.map((s) => s.id).sort()).toEqual([justEnded.id, live.id].sort());
  });

  it("are purged by any ending, anyone's: what no token can use goes, what a token may still use stays", async () => {
    // The last token of an ended session dies at most this long after the ending: a cookie token lives for the
    // idle timeout, an access token for its TTL.
    const { idleTimeoutSeconds, accessTokenTtlSeconds } = sessionConfig();
    expect(idleTimeoutSeconds).toBeGreaterThan(accessTokenTtlSeconds); // so the cases below tell max from min
    const lastTokenGone = idleTimeoutSeconds * 1000;
    // The ending below happens two idle timeouts from now, and every time here is counted back from it: other
    // test files end sessions (and so purge) in this database at the same time, by the real clock, and none of
    // these rows is old enough for them. Only this test's ending can sweep them.
    const now = new Date(Date.now() + 2 * lastTokenGone);
    const ago = (ms: number) => new Date(now.getTime() - ms);

    const ada = await newUser();
    const [live, timedOut, endedLongAgo, endedJustTooLongAgo, endedJustInTime, endedPastAccessTokens, endedNow] =
      await Promise.all(Array.from({ length: 7 }, () => createSession({ userId: ada.id, kind: "browser", client, now: ago(2 * lastTokenGone) })));
    await db.session.update({ where: { id: timedOut!.id }, data: { expiresAt: ago(1) } });
    await db.session.update({ where: { id: endedLongAgo!.id }, data: { revokedAt: ago(2 * lastTokenGone) } });
    await db.session.update({ where: { id: endedJustTooLongAgo!.id }, data: { revokedAt: ago(lastTokenGone + 1) } });
    // A cookie token signed the moment before this ending expires about now: the row stays.
    await db.session.update({ where: { id: endedJustInTime!.id }, data: { revokedAt: ago(lastTokenGone) } });
    // Every access token of this one has expired, but a cookie token of it may not have.
    await db.session.update({
      where: { id: endedPastAccessTokens!.id },
      data: { revokedAt: ago(accessTokenTtlSeconds * 1000 + 1) },
    });
    await db.session.update({ where: { id: endedNow!.id }, data: { revokedAt: now } });
    const rowsOfAda = async () =>
      (await db.session.findMany({ where: { userId: ada.id }, select: { id: true } })).map((s) => s.id).sort();
    expect(await rowsOfAda()).toHaveLength(7);

    // Someone else signs out, on another account.
    const grace = await newUser();
    const graces = await createSession({ userId: grace.id, kind: "browser", client, now: ago(1000) });
    expect(await endSession(grace.id, graces.id, now)).toBe(true);

    expect(await rowsOfAda()).toEqual([live!.id, endedJustInTime!.id, endedPastAccessTokens!.id, endedNow!.id].sort());
    // Grace's own row has just ended: a token of it is still out there, and is refused by the row.
    expect(await db.session.count({ where: { id: graces.id } })).toBe(1);
    expect(await findLiveSession(live!.id, now)).not.toBeNull();
  });
});

describe("lastSeenAt", () => {
  const minute = 60_000;
  const lastSeenAt = async (id: string) =>
    (await db.session.findUniqueOrThrow({ where: { id }, select: { lastSeenAt: true } })).lastSeenAt;

  it("moves on a request a minute or more after the last one it recorded, and not on one sooner", async () => {
    const user = await newUser();
    const signedIn = new Date(Date.now() - 10 * minute);
    const { id } = await createSession({ userId: user.id, kind: "browser", client, now: signedIn });

    // Back 59.999 seconds after signing in: too soon to be worth a write.
    await touchSession((await findLiveSession(id))!, new Date(signedIn.getTime() + minute - 1));
    expect(await lastSeenAt(id)).toEqual(signedIn);

    // A minute after: recorded.
    const aMinuteLater = new Date(signedIn.getTime() + minute);
    await touchSession((await findLiveSession(id))!, aMinuteLater);
    expect(await lastSeenAt(id)).toEqual(aMinuteLater);
    expect((await listActiveSessions(user.id))[0]!.lastSeenAt).toEqual(aMinuteLater);

    // Half a minute after that: the minute is counted from what was recorded, not from signing in.
    await touchSession((await findLiveSession(id))!, new Date(aMinuteLater.getTime() + minute / 2));
    expect(await lastSeenAt(id)).toEqual(aMinuteLater);

    // Five minutes after: recorded again.
    const fiveMinutesLater = new Date(aMinuteLater.getTime() + 5 * minute);
    await touchSession((await findLiveSession(id))!, fiveMinutesLater);
    expect(await lastSeenAt(id)).toEqual(fiveMinutesLater);
  });

  it("stays as it was once the session has ended, even for a request that read it just before", async () => {
    const user = await newUser();
    const signedIn = new Date(Date.now() - 10 * minute);
    const { id } = await createSession({ userId: user.id, kind: "browser", client, now: signedIn });
    const readBeforeSignOut = (await findLiveSession(id))!;
    expect(await endSession(user.id, id)).toBe(true);
    await touchSession(readBeforeSignOut);
    expect(await lastSeenAt(id)).toEqual(signedIn);
  });
});

describe("dates read from the database", () => {
  it("are read in every shape a driver may hand over, always as UTC", () => {
    const instant = new Date("2026-11-25T10:00:00.000Z");
    expect(toDate(instant)).toBe(instant);
    expect(toDate(instant.getTime())).toEqual(instant);
    expect(toDate(BigInt(instant.getTime()))).toEqual(instant);
    expect(toDate(String(instant.getTime()))).toEqual(instant);
    expect(toDate("2026-11-25T10:00:00.000+00:00")).toEqual(instant);
    expect(toDate("2026-11-25T11:00:00.000+01:00")).toEqual(instant);
    expect(toDate("2026-11-25T10:00:00.000Z")).toEqual(instant);
    expect(toDate("2026-11-25 10:00:00")).toEqual(instant); // SQLite's CURRENT_TIMESTAMP: UTC, unmarked
    expect(toDate("2026-11-25T10:00:00.000")).toEqual(instant);
  });

  it("refuse anything else rather than guess (an unreadable expiry must not pass for a live session)", () => {
    for (const bad of [null, undefined, "", "soon", "2026-13-45", {}, Number.NaN]) {
      expect(() => toDate(bad)).toThrow(TypeError);
    }
  });
});

describe("refresh tokens", () => {
  async function apiSession() {
    const user = await newUser();
    const session = await createSession({ userId: user.id, kind: "api", client });
    return { session, token: await issueRefreshToken(session.id, session.expiresAt) };
  }

  it("are stored as a hash only", async () => {
    const { session, token } = await apiSession();
    const rows = await db.refreshToken.findMany({ where: { sessionId: session.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("are spent once; spending one again ends the whole session", async () => {
    const { session, token } = await apiSession();
    await expect(spendRefreshToken(token)).resolves.toBe(session.id);
    const error = await spendRefreshToken(token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefreshTokenError);
    expect((error as RefreshTokenError).code).toBe("reused");
    expect(await findLiveSession(session.id)).toBeNull();
  });

  it("of which 50 concurrent spends of one yield exactly one success", async () => {
    const { session, token } = await apiSession();
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => spendRefreshToken(token)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await findLiveSession(session.id)).toBeNull();
  });

  it("are refused when unknown, malformed, or their session has ended", async () => {
    const { session, token } = await apiSession();
    for (const bad of ["", "short", "x".repeat(43), 42, null]) {
      await expect(spendRefreshToken(bad)).rejects.toMatchObject({ code: "invalid" });
    }
    await db.session.update({ where: { id: session.id }, data: { revokedAt: new Date() } });
    await expect(spendRefreshToken(token)).rejects.toMatchObject({ code: "invalid" });
  });
});
