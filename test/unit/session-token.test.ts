// Session and access tokens, attacked: every token below but the first few must be refused.
import { afterEach, describe, expect, it, vi } from "vitest";
import { readSessionConfig, type SessionConfig } from "@/lib/config";
import { randomId } from "@/lib/ids";
import {
  keyId,
  renewSessionToken,
  TokenError,
  signSessionToken,
  verifySessionToken,
  type TokenSubject,
} from "@/lib/tokens/jwt";
import { amrOf } from "@/lib/tokens/sign-in-methods";
import { b64url, signRaw, unsigned } from "../support/forge";
import { siblingSignatures, siblingSpellings } from "../support/spellings";

const secret = (fill: number) => Buffer.alloc(32, fill).toString("base64");
const config: SessionConfig = readSessionConfig({ SESSION_SECRET: secret(7) });
const otherSecret = readSessionConfig({ SESSION_SECRET: secret(8) }).signingSecret;
const kid = await keyId(config.signingSecret);
const now = () => Math.floor(Date.now() / 1000);

const subject: TokenSubject = {
  userId: "user-1",
  sessionId: "session-0123456789abcdef",
  role: "user",
  authTime: new Date(Math.floor(Date.now() / 1000) * 1000),
};

const segments = (token: string) => token.split(".") as [string, string, string];
const decodeJson = (segment: string) => JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));

/** A token with these header fields and claims, signed with `key` (the real one unless told). */
function forge(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key: Uint8Array<ArrayBuffer> = config.signingSecret,
): Promise<string> {
  return signRaw({ alg: "HS256", typ: "JWT", kid, ...header }, JSON.stringify(claims), key);
}

function validClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sub: "user-1",
    sid: "session-0123456789abcdef",
    jti: "0123456789abcdefghijkl",
    role: "user",
    auth_time: now() - 60,
    iat: now(),
    exp: now() + 3600,
    iss: config.issuer,
    aud: config.audience,
    ...overrides,
  };
}

async function expectRejected(token: string, code?: TokenError["code"], verify = verifySessionToken) {
  const failure = await verify(token, config).then(
    () => null,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(TokenError);
  if (code) expect((failure as TokenError).code).toBe(code);
}

describe("signSessionToken", () => {
  it("makes a compact HS256 JWS with typ JWT, a kid, the configured claims, and nothing personal", async () => {
    const { token, claims } = await signSessionToken(subject, config);
    const [header, payload] = segments(token).map((s, i) => (i < 2 ? decodeJson(s) : s));
    expect(header).toEqual({ alg: "HS256", typ: "JWT", kid });
    expect(Object.keys(payload).sort()).toEqual(["amr", "aud", "auth_time", "exp", "iat", "iss", "jti", "role", "sid", "sub"]);
    expect(payload).toMatchObject({ sub: "user-1", sid: subject.sessionId, role: "user", amr: ["pwd"] });
    expect(payload.exp - payload.iat).toBe(config.idleTimeoutSeconds);
    expect(claims.tokenId).toBe(payload.jti);
    // 128 random bits, base64url.
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("keeps the whole cookie under 440 bytes for ids as the app makes them, admin role and the longest amr", async () => {
    const production = readSessionConfig({ SESSION_SECRET: secret(7), NODE_ENV: "production" });
    const admin = { ...subject, userId: randomId(), sessionId: randomId(), role: "admin" as const, amr: amrOf("password+otp") };
    const { token } = await signSessionToken(admin, production);
    // 400 before the amr claim; ["pwd","otp","mfa"] adds 36 (docs/decisions/0010-second-factors.md).
    expect(Buffer.byteLength(`${production.cookieName}=${token}`)).toBeLessThan(440);
    expect(decodeJson(segments(token)[0]).kid).toMatch(/^[A-Za-z0-9_-]{8}$/);
  });

  it("gives every token a new id", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) ids.add((await signSessionToken(subject, config)).claims.tokenId);
    expect(ids.size).toBe(50);
  });

  it("never signs past the session's absolute timeout", async () => {
    const late = { ...subject, authTime: new Date(Date.now() - (config.absoluteTimeoutSeconds - 60) * 1000) };
    const { claims } = await signSessionToken(late, config);
    expect(claims.expiresAt.getTime()).toBeLessThanOrEqual(late.authTime.getTime() + config.absoluteTimeoutSeconds * 1000);
    const over = { ...subject, authTime: new Date(Date.now() - (config.absoluteTimeoutSeconds + 60) * 1000) };
    await expect(signSessionToken(over, config)).rejects.toBeInstanceOf(TokenError);
  });
});

describe("verifySessionToken", () => {
  it("accepts a token it signed and returns its claims", async () => {
    const { token, claims } = await signSessionToken(subject, config);
    await expect(verifySessionToken(token, config)).resolves.toEqual(claims);
  });

  it("accepts a forged-but-valid token, so the rejections below are about their one defect", async () => {
    await expect(verifySessionToken(await forge({}, validClaims()), config)).resolves.toMatchObject({
      userId: "user-1",
      sessionId: "session-0123456789abcdef",
    });
  });

  it.each(["none", "None", "NONE", "nOnE"])("rejects alg %s with an empty signature", async (alg) => {
    await expectRejected(unsigned(alg, validClaims()));
  });

  it.each(["HS384", "HS512"])("rejects another HMAC algorithm (%s) signed with the real key", async (alg) => {
    await expectRejected(await forge({ alg }, validClaims()));
  });

  it("rejects a token signed with another key, under our kid or its own", async () => {
    await expectRejected(await forge({}, validClaims(), otherSecret), "invalid");
    await expectRejected(await forge({ kid: await keyId(otherSecret) }, validClaims(), otherSecret), "invalid");
  });

  it("rejects a missing kid", async () => {
    await expectRejected(await forge({ kid: undefined }, validClaims()));
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
      await expectRejected(await signRaw({ alg: "HS256", typ: "JWT", kid }, body, config.signingSecret));
    }
  });

  it("rejects an expired token", async () => {
    await expectRejected(await forge({}, validClaims({ iat: now() - 7200, exp: now() - 60 })), "expired");
  });

  it("rejects a token missing any required claim", async () => {
    for (const claim of ["exp", "iat", "jti", "sub", "sid", "auth_time"]) {
      const claims = validClaims();
      delete claims[claim];
      await expectRejected(await forge({}, claims));
    }
  });

  it("carries how the session was made (amr) through verification and renewal", async () => {
    const { token } = await signSessionToken({ ...subject, amr: amrOf("passkey-synced") }, config);
    const claims = await verifySessionToken(token, config);
    expect(claims.amr).toEqual(["swk", "mfa"]);
    const later = new Date(Date.now() + (config.renewAfterSeconds + 1) * 1000);
    expect((await renewSessionToken(claims, config, later))?.claims.amr).toEqual(["swk", "mfa"]);
  });

  it("reads a token from before the amr claim as a password sign-in, the weakest", async () => {
    const claims = validClaims();
    delete claims.amr;
    await expect(verifySessionToken(await forge({}, claims), config)).resolves.toMatchObject({ amr: ["pwd"] });
  });

  it("rejects an amr claim that is not a list of known methods, each once, even correctly signed", async () => {
    for (const amr of ["mfa", [], ["pwd", "pwd"], ["face"], [1], null, { 0: "mfa" }, ["pwd", "otp", "hwk", "swk", "mfa", "pwd"]]) {
      await expectRejected(await forge({}, validClaims({ amr })), "invalid");
    }
  });

  it("rejects an amr claim raised to two factors under the one-factor token's signature", async () => {
    const [header, , signature] = segments(await forge({}, validClaims({ amr: ["pwd"] })));
    const payload = b64url(JSON.stringify(validClaims({ amr: ["pwd", "otp", "mfa"] })));
    await expectRejected(`${header}.${payload}.${signature}`, "invalid");
  });

  it("rejects an unknown role", async () => {
    await expectRejected(await forge({}, validClaims({ role: "superuser" })));
  });

  it("rejects an iat in the future and a token older than the idle timeout", async () => {
    await expectRejected(await forge({}, validClaims({ iat: now() + 3600, exp: now() + 7200 })));
    await expectRejected(
      await forge({}, validClaims({ iat: now() - config.idleTimeoutSeconds - 60, exp: now() + 3600 })),
    );
  });

  it("rejects a session past its absolute timeout, whatever the token's own exp", async () => {
    const authTime = now() - config.absoluteTimeoutSeconds - 60;
    await expectRejected(await forge({}, validClaims({ auth_time: authTime })), "expired");
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

describe("one spelling per token", () => {
  it("accepts the token as signed, and refuses every other spelling of its signature's bytes", async () => {
    const { token, claims } = await signSessionToken(subject, config);
    const signature = segments(token)[2];
    const spellings = siblingSpellings(signature);
    // An HMAC-SHA-256 signature is 43 characters: its last one has 2 spare bits, so 4 spellings of one value.
    expect(spellings).toHaveLength(4);
    for (const spelling of spellings) {
      expect(Buffer.from(spelling, "base64url")).toEqual(Buffer.from(signature, "base64url"));
    }
    await expect(verifySessionToken(token, config)).resolves.toEqual(claims);
    for (const variant of siblingSignatures(token)) await expectRejected(variant, "malformed");
  });

  it("refuses padding on any segment, and characters outside base64url", async () => {
    const { token } = await signSessionToken(subject, config);
    const [header, payload, signature] = segments(token);
    for (const variant of [
      `${token}=`,
      `${header}=.${payload}.${signature}`,
      `${header}.${payload}=.${signature}`,
      `${header}.${payload}.${signature.replace(/-/g, "+").replace(/_/g, "/")}x/`,
      `${header}.${payload}.${signature} `,
    ]) {
      await expectRejected(variant, "malformed");
    }
  });
});

describe("clock skew", () => {
  // A fixed clock, so the token made here and the verifier read the same second.
  const instant = new Date("2026-11-25T10:00:00.000Z");
  const at = (offsetSeconds: number) => instant.getTime() / 1000 + offsetSeconds;
  afterEach(() => vi.useRealTimers());

  async function verifiesAt(claims: Record<string, unknown>) {
    vi.useFakeTimers({ toFake: ["Date"], now: instant });
    return verifySessionToken(await forge({}, validClaims({ auth_time: at(-3600), ...claims })), config).then(
      () => true,
      () => false,
    );
  }

  it("is 5 seconds: a token expired 4 seconds ago still verifies, one expired 6 seconds ago does not", async () => {
    expect(config.clockToleranceSeconds).toBe(5);
    expect(await verifiesAt({ iat: at(-600), exp: at(-4) })).toBe(true);
    expect(await verifiesAt({ iat: at(-600), exp: at(-6) })).toBe(false);
  });

  it("is 5 seconds: a token issued 4 seconds in the future verifies, one issued 6 seconds ahead does not", async () => {
    expect(await verifiesAt({ iat: at(4), exp: at(3600) })).toBe(true);
    expect(await verifiesAt({ iat: at(6), exp: at(3600) })).toBe(false);
  });
});

describe("key rotation", () => {
  const key1 = secret(1);
  const key2 = secret(2);

  it("keeps old tokens valid after a rotation, signs new ones with the new key, and drops them on retirement", async () => {
    const before = readSessionConfig({ SESSION_SECRET: key1 });
    const { token: old } = await signSessionToken(subject, before);

    const rotated = readSessionConfig({ SESSION_SECRET: key2, SESSION_PREVIOUS_SECRETS: key1 });
    await expect(verifySessionToken(old, rotated)).resolves.toMatchObject({ userId: "user-1" });
    const { token: fresh } = await signSessionToken(subject, rotated);
    expect(decodeJson(segments(fresh)[0]).kid).toBe(await keyId(rotated.signingSecret));
    expect(decodeJson(segments(fresh)[0]).kid).not.toBe(decodeJson(segments(old)[0]).kid);

    const retired = readSessionConfig({ SESSION_SECRET: key2 });
    await expectRejectedWith(old, retired);
    await expect(verifySessionToken(fresh, retired)).resolves.toMatchObject({ userId: "user-1" });
  });

  async function expectRejectedWith(token: string, rotatedConfig: SessionConfig) {
    await expect(verifySessionToken(token, rotatedConfig)).rejects.toBeInstanceOf(TokenError);
  }
});

describe("renewSessionToken", () => {
  it("does nothing for a young token", async () => {
    const { claims } = await signSessionToken(subject, config);
    expect(await renewSessionToken(claims, config)).toBeNull();
  });

  it("gives an older token a successor in the same session with a new id and a later expiry", async () => {
    const issued = new Date(Date.now() - (config.renewAfterSeconds + 5) * 1000);
    const { claims } = await signSessionToken({ ...subject, authTime: issued }, config, issued);
    const renewal = await renewSessionToken(claims, config);
    expect(renewal).not.toBeNull();
    expect(renewal!.claims.sessionId).toBe(claims.sessionId);
    expect(renewal!.claims.authTime).toEqual(claims.authTime);
    expect(renewal!.claims.tokenId).not.toBe(claims.tokenId);
    expect(renewal!.claims.expiresAt.getTime()).toBeGreaterThan(claims.expiresAt.getTime());
    await expect(verifySessionToken(renewal!.token, config)).resolves.toEqual(renewal!.claims);
  });

  it("never renews past the absolute timeout", async () => {
    const authTime = new Date(Date.now() - (config.absoluteTimeoutSeconds - 10) * 1000);
    const issued = new Date(Date.now() - (config.renewAfterSeconds + 5) * 1000);
    const { claims } = await signSessionToken({ ...subject, authTime }, config, issued);
    expect(await renewSessionToken(claims, config)).toBeNull();
  });
});
