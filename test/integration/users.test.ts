// lib/users/store.server.ts against a real, migrated SQLite file.
import { describe, expect, it } from "vitest";
import { hash } from "@node-rs/argon2";
import { db } from "@/lib/db/db.server";
import { issueRefreshToken, spendRefreshToken } from "@/lib/sessions/refresh-tokens.server";
import { createSession, findLiveSession, openSession, PasswordChangedError } from "@/lib/sessions/store.server";
import {
  authenticate,
  changePassword,
  confirmPassword,
  createUser,
  deleteUser,
  EmailTakenError,
  findUserByEmail,
  listUsers,
  rehashIfUnchanged,
  setRole,
} from "@/lib/users/store.server";
import { attemptSignIn } from "@/lib/users/sign-in.server";
import { openApiSession } from "@/lib/sessions/bearer.server";
import { startPendingSignIn } from "@/lib/factors/pending-sign-ins.server";
import { newEmail, PASSWORD as password } from "../support/people";


describe("createUser", () => {
  it("stores an argon2id PHC hash at OWASP's parameters, never the password", async () => {
    const email = newEmail("user");
    const user = await createUser(email, password);
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.email).toBe(email);
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.passwordHash).not.toContain(password);
  });

  it("refuses a taken email and writes no second row", async () => {
    const email = newEmail("user");
    await createUser(email, password);
    await expect(createUser(email, "another long password here")).rejects.toBeInstanceOf(EmailTakenError);
    expect(await db.user.count({ where: { email } })).toBe(1);
  });

  it("lets exactly one of several simultaneous sign-ups with one email win", async () => {
    const email = newEmail("user");
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => createUser(email, password)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(EmailTakenError);
    expect(await db.user.count({ where: { email } })).toBe(1);
  });
});

describe("authenticate", () => {
  it("returns the user for the right password and null for a wrong one or an unknown email", async () => {
    const email = newEmail("user");
    const user = await createUser(email, password);
    const { passwordHash } = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    // With the hash it checked: what a session opened on this sign-in is held to (lib/sessions/store.server.ts).
    await expect(authenticate(email, password)).resolves.toEqual({ ...user, passwordHash, passwordBreachedAt: null });
    await expect(authenticate(email, `${password}!`)).resolves.toBeNull();
    await expect(authenticate(newEmail("user"), password)).resolves.toBeNull();
  });

  it("upgrades a hash made with weaker parameters at the next sign-in", async () => {
    const email = newEmail("user");
    const user = await createUser(email, password);
    const weak = await hash(password, { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await db.user.update({ where: { id: user.id }, data: { passwordHash: weak } });

    const upgraded = await authenticate(email, password);
    const { passwordHash } = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(upgraded).toEqual({ ...user, passwordHash, passwordBreachedAt: null });
    await expect(authenticate(email, password)).resolves.toEqual({ ...user, passwordHash, passwordBreachedAt: null });
  });

  it("never upgrades over a password changed meanwhile: the old password is not written back", async () => {
    const email = newEmail("user");
    const user = await createUser(email, password);
    const weak = await hash(password, { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await db.user.update({ where: { id: user.id }, data: { passwordHash: weak } });
    // A sign-in checked `weak`; the owner changes the password before its upgrade is written.
    const current = await createSession({ userId: user.id, kind: "browser", client });
    await changePassword(user.id, "a brand new long password", current.id);
    await expect(rehashIfUnchanged(user.id, weak, password)).resolves.toBeNull();
    expect(await confirmPassword(user.id, "a brand new long password")).toBe(true);
    expect(await confirmPassword(user.id, password)).toBe(false);
  });

  it("does not upgrade on a wrong password", async () => {
    const email = newEmail("user");
    const user = await createUser(email, password);
    const weak = await hash(password, { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await db.user.update({ where: { id: user.id }, data: { passwordHash: weak } });
    await expect(authenticate(email, "a wrong password of some length")).resolves.toBeNull();
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(weak);
  });

  it("treats a stored value that is not a hash as a wrong password, not a crash", async () => {
    const email = newEmail("user");
    const user = await createUser(email, password);
    await db.user.update({ where: { id: user.id }, data: { passwordHash: "garbage" } });
    await expect(authenticate(email, password)).resolves.toBeNull();
  });
});

describe("findUserByEmail", () => {
  it("returns the public fields only, with the role", async () => {
    const user = await createUser(newEmail("user"), password);
    const found = await findUserByEmail(user.email);
    expect(found).toEqual({ ...user, role: "user" });
    expect(found).not.toHaveProperty("passwordHash");
    await expect(findUserByEmail("nobody@example.com")).resolves.toBeNull();
  });
});

const client = { userAgent: "test", ipPrefix: null };

describe("changePassword", () => {
  it("replaces the password and ends every other session, keeping the current one", async () => {
    const user = await createUser(newEmail("user"), password);
    const current = await createSession({ userId: user.id, kind: "browser", client });
    const other = await createSession({ userId: user.id, kind: "browser", client });
    const api = await createSession({ userId: user.id, kind: "api", client });

    await changePassword(user.id, "a brand new long password", current.id);

    expect(await confirmPassword(user.id, password)).toBe(false);
    expect(await confirmPassword(user.id, "a brand new long password")).toBe(true);
    expect(await findLiveSession(current.id)).not.toBeNull();
    expect(await findLiveSession(other.id)).toBeNull();
    expect(await findLiveSession(api.id)).toBeNull();
  });
});

describe("a password changed while a sign-in checks the old one", () => {
  const newPassword = "a brand new long password";
  const liveSessions = (userId: string, keep: string) => db.session.count({ where: { userId, revokedAt: null, id: { not: keep } } });

  it("wins: what that sign-in then opens (a session, an API session, a pending sign-in) is refused and written nowhere", async () => {
    const user = await createUser(newEmail("user"), password);
    const signedIn = await authenticate(user.email, password);
    if (!signedIn) throw new Error("the password did not check");
    // Before the change, the hash it checked opens a session.
    const before = await openSession({ userId: user.id, kind: "browser", client, passwordHash: signedIn.passwordHash });
    await changePassword(user.id, newPassword, before.session.id);

    await expect(openSession({ userId: user.id, kind: "browser", client, passwordHash: signedIn.passwordHash })).rejects.toBeInstanceOf(PasswordChangedError);
    await expect(openApiSession(signedIn, client)).rejects.toBeInstanceOf(PasswordChangedError);
    await expect(startPendingSignIn(signedIn, "/account", client)).rejects.toBeInstanceOf(PasswordChangedError);
    expect(await liveSessions(user.id, before.session.id)).toBe(0);
    expect(await db.refreshToken.count({ where: { session: { userId: user.id } } })).toBe(0);
    expect(await db.pendingSignIn.count({ where: { userId: user.id } })).toBe(0);
  });

  it("leaves none of a burst of sign-ins with the old password signed in, whichever commits first", async () => {
    const user = await createUser(newEmail("user"), password);
    const current = await createSession({ userId: user.id, kind: "browser", client });
    const signInAndOpen = async () => {
      const attempt = await attemptSignIn(user.email, password, null);
      if (!attempt.ok) return attempt.reason;
      return openSession({ userId: user.id, kind: "browser", client, passwordHash: attempt.user.passwordHash }).then(
        () => "opened",
        (error: unknown) => (error instanceof PasswordChangedError ? "refused" : Promise.reject(error)),
      );
    };
    await Promise.all([...Array.from({ length: 8 }, signInAndOpen), changePassword(user.id, newPassword, current.id)]);
    expect(await liveSessions(user.id, current.id)).toBe(0);
  });
});

describe("deleteUser", () => {
  it("removes the user and every session row with them", async () => {
    const user = await createUser(newEmail("user"), password);
    const session = await createSession({ userId: user.id, kind: "browser", client });
    await deleteUser(user.id);
    expect(await db.user.count({ where: { id: user.id } })).toBe(0);
    expect(await db.session.count({ where: { id: session.id } })).toBe(0);
  });

  it("removes the refresh tokens of their API sessions too, spent or not, and leaves other people's alone", async () => {
    const user = await createUser(newEmail("user"), password);
    const cli = await createSession({ userId: user.id, kind: "api", client });
    const phoneApp = await createSession({ userId: user.id, kind: "api", client });
    const spent = await issueRefreshToken(cli.id, cli.expiresAt);
    await expect(spendRefreshToken(spent)).resolves.toBe(cli.id);
    await issueRefreshToken(cli.id, cli.expiresAt); // what the refresh handed back
    await issueRefreshToken(phoneApp.id, phoneApp.expiresAt);
    const theirs = { sessionId: { in: [cli.id, phoneApp.id] } };
    expect(await db.refreshToken.count({ where: theirs })).toBe(3);

    const neighbour = await createUser(newEmail("user"), password);
    const neighbours = await createSession({ userId: neighbour.id, kind: "api", client });
    const neighboursToken = await issueRefreshToken(neighbours.id, neighbours.expiresAt);

    await deleteUser(user.id);

    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.refreshToken.count({ where: theirs })).toBe(0);
    await expect(spendRefreshToken(neighboursToken)).resolves.toBe(neighbours.id);
  });
});

describe("roles", () => {
  it("take effect on the next session lookup, and admins see every user's active sessions", async () => {
    const user = await createUser(newEmail("user"), password);
    const session = await createSession({ userId: user.id, kind: "browser", client });
    expect((await findLiveSession(session.id))?.user.role).toBe("user");
    await setRole(user.id, "admin");
    expect((await findLiveSession(session.id))?.user.role).toBe("admin");
    const listing = (await listUsers()).find((u) => u.id === user.id);
    expect(listing).toMatchObject({ role: "admin", activeSessions: 1 });
  });
});
