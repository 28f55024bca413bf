// ACCESS_TOKEN_PRIVATE_KEY: an RS256 key the operator manages, given as a PEM. Nothing is stored; the JWKS
// publishes its public half; keys:rotate refuses. (Its own file: the configuration is read once per process.)
import { exportPKCS8, generateKeyPair } from "jose";
import { describe, expect, it, vi } from "vitest";

const { privateKey } = await generateKeyPair("RS256", { extractable: true });
vi.stubEnv("ACCESS_TOKEN_ALG", "RS256");
vi.stubEnv("ACCESS_TOKEN_PRIVATE_KEY", (await exportPKCS8(privateKey)).replace(/\n/g, "\\n"));
const { publishedJwks } = await import("@/lib/keys/jwks.server");
const { rotateSigningKey } = await import("@/lib/keys/rotation.server");
const { signAccessToken, verifyAccessToken } = await import("@/lib/tokens/access-tokens.server");

const subject = { userId: "user-1", sessionId: "session-0123456789abcdef", role: "user" as const, authTime: new Date() };

describe("a configured RS256 key", () => {
  it("signs access tokens that verify, and is the one public key published", async () => {
    const { token } = await signAccessToken(subject);
    const header = JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString());
    const { keys } = await publishedJwks();
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0]!).sort()).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
    expect(header).toEqual({ alg: "RS256", typ: "at+jwt", kid: keys[0]!.kid });
    await expect(verifyAccessToken(token)).resolves.toMatchObject({ userId: "user-1", clientId: "tessera-api" });
  });

  it("cannot be rotated by the command", async () => {
    await expect(rotateSigningKey()).rejects.toMatchObject({ code: "configured-key" });
  });
});
