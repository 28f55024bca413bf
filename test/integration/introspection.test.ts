// RFC 7662 introspection against the real database: active only for a live session's token meant for the caller.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { newEmail, PASSWORD } from "../support/people";

vi.stubEnv("ACCESS_TOKEN_AUDIENCES", "https://a.example,https://b.example");
const { openApiSession } = await import("@/lib/sessions/bearer.server");
const { introspect } = await import("@/lib/sessions/introspection.server");
const { endSessionsWhere } = await import("@/lib/sessions/store.server");
const { signAccessToken, verifyAccessToken } = await import("@/lib/tokens/access-tokens.server");
const { createUser, deleteUser } = await import("@/lib/users/store.server");

let user: { id: string; role: "user" | "admin" };
beforeAll(async () => {
  user = await createUser(newEmail("introspection"), PASSWORD);
});
afterAll(() => deleteUser(user.id));

const client = { userAgent: "curl/8.5.0", ipPrefix: null };

describe("introspect", () => {
  it("answers active with the claims for the caller's own token, inactive for another's", async () => {
    const { access_token: token, sessionId } = await openApiSession(user, client, "https://a.example");
    expect(await introspect(token, "https://a.example")).toMatchObject({
      active: true,
      token_type: "Bearer",
      iss: "tessera",
      sub: user.id,
      aud: "https://a.example",
      client_id: "tessera-api",
      sid: sessionId,
      role: "user",
    });
    expect(await introspect(token, "https://b.example")).toEqual({ active: false });
    expect(await introspect(token, "tessera")).toEqual({ active: false });
  });

  it("answers inactive at once when the session has ended, though the token still verifies", async () => {
    const { access_token: token, sessionId } = await openApiSession(user, client, "https://a.example");
    await endSessionsWhere({ id: sessionId });
    await expect(verifyAccessToken(token, "https://a.example")).resolves.toMatchObject({ sessionId });
    expect(await introspect(token, "https://a.example")).toEqual({ active: false });
  });

  it("answers inactive for a token naming a session that never existed, and for garbage", async () => {
    const { token } = await signAccessToken(
      { userId: user.id, sessionId: "no-such-session-000000", role: "user", authTime: new Date() },
      "https://a.example",
    );
    expect(await introspect(token, "https://a.example")).toEqual({ active: false });
    expect(await introspect("not.a.token", "https://a.example")).toEqual({ active: false });
  });
});
