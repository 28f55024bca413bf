// Writes that must happen together, cut halfway by a statement that fails inside the real database: either
// every step is there afterwards, or none is.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/db.server";
import { openApiSession } from "@/lib/sessions/bearer.server";
import { createSession, findLiveSession } from "@/lib/sessions/store.server";
import { authenticate, changePassword, createUser, createUserWithSession } from "@/lib/users/store.server";
import { failStatements } from "../support/failing-statement";
import { newEmail, PASSWORD as password } from "../support/people";

const newPassword = "a brand new passphrase for this test";
const client = { userAgent: "test", ipPrefix: null };

describe("sign-up", () => {
  it("leaves no account behind when its first session cannot be written", async () => {
    const email = newEmail("atomic");
    const restore = await failStatements("sessions", "INSERT", `(SELECT "email" FROM "users" WHERE "id" = NEW."userId") = '${email}'`);
    try {
      await expect(createUserWithSession(email, password, client)).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await db.user.count({ where: { email } })).toBe(0);
    // Nothing was saved, so the same sign-up simply works once the database does.
    const { user, session } = await createUserWithSession(email, password, client);
    expect((await findLiveSession(session.id))?.user.id).toBe(user.id);
  });
});

describe("password change", () => {
  it("keeps the old password and every session when the sessions cannot be ended", async () => {
    const user = await createUser(newEmail("atomic"), password);
    const [here, other] = await Promise.all([createSession({ userId: user.id, kind: "browser", client }), createSession({ userId: user.id, kind: "api", client })]);
    const restore = await failStatements("sessions", "UPDATE", `NEW."userId" = '${user.id}' AND NEW."revokedAt" IS NOT NULL`);
    try {
      await expect(changePassword(user.id, newPassword, here.id)).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await authenticate(user.email, password)).not.toBeNull();
    expect(await authenticate(user.email, newPassword)).toBeNull();
    expect(await findLiveSession(other.id)).not.toBeNull();

    await changePassword(user.id, newPassword, here.id);
    expect(await authenticate(user.email, newPassword)).not.toBeNull();
    expect(await findLiveSession(other.id)).toBeNull();
    expect(await findLiveSession(here.id)).not.toBeNull();
  });
});

describe("a new API session", () => {
  it("is not left behind when its first refresh token cannot be stored", async () => {
    const user = await createUser(newEmail("atomic"), password);
    const restore = await failStatements(
      "refresh_tokens",
      "INSERT",
      `(SELECT "userId" FROM "sessions" WHERE "id" = NEW."sessionId") = '${user.id}'`,
    );
    try {
      await expect(openApiSession(user, client)).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);

    const opened = await openApiSession(user, client);
    expect(await db.refreshToken.count({ where: { sessionId: opened.sessionId } })).toBe(1);
  });
});
