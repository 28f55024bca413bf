// The session token's verification, attacked: every token below must be refused.
import { describe, expect, it } from "vitest";
import { readSessionConfig, type SessionConfig } from "@/lib/config";
import { SessionTokenError, signSessionToken, verifySessionToken } from "@/lib/session/token";
import { b64url, signRaw, unsigned } from "../support/forge";

const config: SessionConfig = readSessionConfig({ SESSION_SECRET: Buffer.alloc(32, 7).toString("base64") });
const otherSecret = readSessionConfig({ SESSION_SECRET: Buffer.alloc(32, 8).toString("base64") }).secret;
const now = () => Math.floor(Date.now() / 1000);

const segments = (token: string) => token.split(".") as [string, string, string];
const decodeJson = (segment: string) => JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));

/** A token with these header fields and claims, signed with `secret` (the real one unless told). */
function forge(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  secret: Uint8Array<ArrayBuffer> = config.secret,
): Promise<string> {
  return signRaw({ alg: "HS256", typ: "JWT", ...header }, JSON.stringify(claims), secret);
}

function validClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sub: "user-1",
    jti: "0123456789abcdefghijkl",
    iat: now(),
    exp: now() + 3600,
    iss: config.issuer,
    aud: config.audience,
    ...overrides,
  };
}

async function expectRejected(token: string, code?: SessionTokenError["code"]) {
  const failure = await verifySessionToken(token, config).then(
    () => null,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(SessionTokenError);
  if (code) expect((failure as SessionTokenError).code).toBe(code);
}

describe("signSessionToken", () => {
  it("makes a compact HS256 JWS with typ JWT and the configured claims, and nothing personal", async () => {
    const { token, claims } = await signSessionToken("user-1", config);
    const [header, payload] = segments(token).map((s, i) => (i < 2 ? decodeJson(s) : s));
    expect(header).toEqual({ alg: "HS256", typ: "JWT" });
    expect(Object.keys(payload).sort()).toEqual(["aud", "exp", "iat", "iss", "jti", "sub"]);
    expect(payload.sub).toBe("user-1");
    expect(payload.exp - payload.iat).toBe(config.ttlSeconds);
    expect(claims.tokenId).toBe(payload.jti);
    // 128 random bits, base64url.
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("gives every token a new id", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) ids.add((await signSessionToken("user-1", config)).claims.tokenId);
    expect(ids.size).toBe(50);
  });
});

describe("verifySessionToken", () => {
  it("accepts a token it signed and returns its claims", async () => {
    const { token, claims } = await signSessionToken("user-1", config);
    await expect(verifySessionToken(token, config)).resolves.toEqual(claims);
  });

  it("accepts a forged-but-valid token, so the rejections below are about their one defect", async () => {
    await expect(verifySessionToken(await forge({}, validClaims()), config)).resolves.toMatchObject({
      userId: "user-1",
    });
  });

  it.each(["none", "None", "NONE", "nOnE"])("rejects alg %s with an empty signature", async (alg) => {
    await expectRejected(unsigned(alg, validClaims()));
  });

  it.each(["HS384", "HS512"])("rejects another HMAC algorithm (%s) signed with the real key", async (alg) => {
    await expectRejected(await forge({ alg }, validClaims()));
  });

  it("rejects a token signed with another key", async () => {
    await expectRejected(await forge({}, validClaims(), otherSecret), "invalid");
  });

  it("rejects a changed claim carrying the old signature", async () => {
    const [header, , signature] = segments(await forge({}, validClaims()));
    const payload = b64url(JSON.stringify(validClaims({ sub: "admin" })));
    await expectRejected(`${header}.${payload}.${signature}`, "invalid");
  });

  it("rejects a stripped or truncated signature", async () => {
    const [header, payload, signature] = segments(await forge({}, validClaims()));
    await expectRejected(`${header}.${payload}.`);
    await expectRejected(`${header}.${payload}`);
    await expectRejected(`${header}.${payload}.${signature.slice(0, -4)}`);
  });

  it.each([2, 4, 5])("rejects %s segments", async (count) => {
    const parts = segments(await forge({}, validClaims()));
    const token = Array.from({ length: count }, (_, i) => parts[i % 3]).join(".");
    await expectRejected(token);
  });

  it("rejects non-JSON and array payloads, even correctly signed", async () => {
    for (const body of ["not json", "[1,2,3]", '"a string"', "null"]) {
      await expectRejected(await signRaw({ alg: "HS256", typ: "JWT" }, body, config.secret));
    }
  });

  it("rejects an expired token", async () => {
    await expectRejected(await forge({}, validClaims({ iat: now() - 7200, exp: now() - 60 })), "expired");
  });

  it("rejects a token with no exp, no iat, no jti or no sub", async () => {
    for (const claim of ["exp", "iat", "jti", "sub"]) {
      const claims = validClaims();
      delete claims[claim];
      await expectRejected(await forge({}, claims));
    }
  });

  it("rejects an iat in the future and a token older than the lifetime", async () => {
    await expectRejected(await forge({}, validClaims({ iat: now() + 3600, exp: now() + 7200 })));
    await expectRejected(
      await forge({}, validClaims({ iat: now() - config.ttlSeconds - 60, exp: now() + 3600 })),
    );
  });

  it("rejects a token that is not valid yet (nbf)", async () => {
    await expectRejected(await forge({}, validClaims({ nbf: now() + 3600 })));
  });

  it("rejects a wrong or missing issuer, audience or typ", async () => {
    await expectRejected(await forge({}, validClaims({ iss: "someone-else" })));
    await expectRejected(await forge({}, validClaims({ iss: undefined })));
    await expectRejected(await forge({}, validClaims({ aud: "another-app" })));
    await expectRejected(await forge({}, validClaims({ aud: undefined })));
    await expectRejected(await forge({ typ: "at+jwt" }, validClaims()));
    await expectRejected(await forge({ typ: undefined }, validClaims()));
  });

  it("rejects an unknown crit header", async () => {
    await expectRejected(await forge({ crit: ["exp-extension"], "exp-extension": true }, validClaims()));
  });

  it("ignores embedded keys and key locations: a jwk, jku, x5u or odd kid does not change the key used", async () => {
    const attackerKey = { kty: "oct", k: b64url(otherSecret) };
    for (const header of [
      { jwk: attackerKey },
      { jku: "https://attacker.example/jwks.json" },
      { x5u: "https://attacker.example/cert.pem" },
      { kid: "../../../../dev/null" },
      { kid: "' OR '1'='1" },
    ]) {
      await expectRejected(await forge(header, validClaims(), otherSecret));
    }
  });

  it("refuses an oversized token before parsing it", async () => {
    const [header, , signature] = segments(await forge({}, validClaims()));
    const huge = `${header}.${b64url(JSON.stringify(validClaims({ pad: "x".repeat(200_000) })))}.${signature}`;
    await expectRejected(huge, "malformed");
  });

  it("rejects garbage", async () => {
    for (const token of ["", "....", "a.b.c", "eyJ.eyJ.sig", "%00%00"]) await expectRejected(token);
  });
});
