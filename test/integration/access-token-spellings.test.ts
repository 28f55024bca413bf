// One spelling per access token: ES256 tokens are signed with the low s, and the high-s twin of a valid token
// (which verifies under plain ECDSA) is refused by every check the app makes, against the real key store.
import { describe, expect, it } from "vitest";
import { introspect } from "@/lib/sessions/introspection.server";
import { openApiSession } from "@/lib/sessions/bearer.server";
import { signAccessToken, verifyAccessToken } from "@/lib/tokens/access-tokens.server";
import { keyring } from "@/lib/keys/keyring.server";
import { createUser } from "@/lib/users/store.server";
import { malleatedSignature } from "../support/spellings";
import { newEmail, PASSWORD } from "../support/people";

const HALF_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n >> 1n;
const sOf = (token: string) => BigInt(`0x${Buffer.from(token.split(".")[2]!, "base64url").subarray(32).toString("hex")}`);

describe("ES256 access tokens", () => {
  it("are always signed with the low s (Web Crypto alone picks either half the time)", async () => {
    const subject = { userId: "user-000000000000", sessionId: "session-0000000000", role: "user" as const, authTime: new Date() };
    const tokens = await Promise.all(Array.from({ length: 64 }, () => signAccessToken(subject)));
    for (const { token } of tokens) expect(sOf(token) <= HALF_ORDER).toBe(true);
  });

  it("refuse the high-s twin of a valid token, though plain ECDSA accepts it", async () => {
    const user = await createUser(newEmail("spellings"), PASSWORD);
    const { access_token: token } = await openApiSession(user, { userAgent: null, ipPrefix: null });
    const twin = malleatedSignature(token);
    expect(twin).not.toBe(token);

    // The twin is a valid ECDSA signature of the same input under the published key.
    const { kid } = JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()) as { kid: string };
    const published = (await keyring()).published().find((key) => key.kid === kid)!;
    const input = Buffer.from(twin.slice(0, twin.lastIndexOf(".")));
    const signature = Buffer.from(twin.split(".")[2]!, "base64url");
    expect(await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, published.publicKey, signature, input)).toBe(true);

    await expect(verifyAccessToken(token)).resolves.toMatchObject({ userId: user.id });
    await expect(verifyAccessToken(twin)).rejects.toMatchObject({ code: "invalid" });
    expect(await introspect(twin, "tessera")).toEqual({ active: false });
  });
});
