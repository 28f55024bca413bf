// The access-token settings: algorithm, audiences, a configured PEM, the JWKS cache period, introspection clients.
import { describe, expect, it } from "vitest";
import { ConfigError, readAccessTokenConfig } from "@/lib/config";
import { thrown } from "../support/thrown";

const SECRET = "s".repeat(32);

const variableOfError = (read: () => unknown) => thrown(read, ConfigError).variable;

describe("readAccessTokenConfig", () => {
  it("defaults to ES256, the app's own audience, generated keys, a 600 s JWKS cache, nobody introspecting, 5 s of refresh grace", () => {
    expect(readAccessTokenConfig({})).toEqual({
      algorithm: "ES256",
      appAudience: "tessera",
      audiences: ["tessera"],
      privateKeyPem: null,
      jwksCacheSeconds: 600,
      introspectionClients: new Map(),
      refreshReuseGraceSeconds: 5,
    });
  });

  it("takes a refresh reuse grace from 0 (off) to 60 seconds, and refuses anything else", () => {
    expect(readAccessTokenConfig({ REFRESH_REUSE_GRACE_SECONDS: "0" }).refreshReuseGraceSeconds).toBe(0);
    expect(readAccessTokenConfig({ REFRESH_REUSE_GRACE_SECONDS: " 60 " }).refreshReuseGraceSeconds).toBe(60);
    for (const value of ["61", "-1", "2.5", "5s", "ten"]) {
      expect(variableOfError(() => readAccessTokenConfig({ REFRESH_REUSE_GRACE_SECONDS: value })), value).toBe("REFRESH_REUSE_GRACE_SECONDS");
    }
  });

  it("takes RS256, refuses HS256 and anything else", () => {
    expect(readAccessTokenConfig({ ACCESS_TOKEN_ALG: "RS256" }).algorithm).toBe("RS256");
    for (const alg of ["HS256", "none", "es256", "EdDSA"]) {
      expect(variableOfError(() => readAccessTokenConfig({ ACCESS_TOKEN_ALG: alg }))).toBe("ACCESS_TOKEN_ALG");
    }
  });

  it("lists the app's audience first, then the resource servers, once each", () => {
    const config = readAccessTokenConfig({ SESSION_AUDIENCE: "app", ACCESS_TOKEN_AUDIENCES: " https://a.example , app,https://b.example" });
    expect(config.audiences).toEqual(["app", "https://a.example", "https://b.example"]);
    expect(config.appAudience).toBe("app");
  });

  it("maps each introspection client (an audience) to its secret; the secret may hold '='", () => {
    const config = readAccessTokenConfig({
      ACCESS_TOKEN_AUDIENCES: "https://a.example,https://b.example",
      INTROSPECTION_CLIENTS: `https://a.example=${SECRET}==, https://b.example=${SECRET}b`,
    });
    expect(config.introspectionClients).toEqual(new Map([["https://a.example", `${SECRET}==`], ["https://b.example", `${SECRET}b`]]));
  });

  it("refuses a client that is not an audience, named twice, without '=', or with a short secret", () => {
    const audiences = { ACCESS_TOKEN_AUDIENCES: "https://a.example" };
    for (const clients of [
      `https://other.example=${SECRET}`,
      `https://a.example=${SECRET},https://a.example=${SECRET}`,
      "https://a.example",
      `=${SECRET}`,
      "https://a.example=short",
    ]) {
      expect(variableOfError(() => readAccessTokenConfig({ ...audiences, INTROSPECTION_CLIENTS: clients })), clients).toBe("INTROSPECTION_CLIENTS");
    }
  });

  it("takes a PKCS#8 PEM, also on one line with \\n escapes, and refuses anything else", () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----";
    expect(readAccessTokenConfig({ ACCESS_TOKEN_PRIVATE_KEY: pem }).privateKeyPem).toBe(pem);
    expect(readAccessTokenConfig({ ACCESS_TOKEN_PRIVATE_KEY: pem.replace(/\n/g, "\\n") }).privateKeyPem).toBe(pem);
    for (const value of ["not a key", pem.replace(/PRIVATE KEY/g, "EC PRIVATE KEY"), pem.replace(/PRIVATE KEY/g, "PUBLIC KEY")]) {
      expect(variableOfError(() => readAccessTokenConfig({ ACCESS_TOKEN_PRIVATE_KEY: value }))).toBe("ACCESS_TOKEN_PRIVATE_KEY");
    }
  });

  it("refuses a JWKS cache period that is not a positive whole number", () => {
    expect(readAccessTokenConfig({ JWKS_CACHE_SECONDS: "2" }).jwksCacheSeconds).toBe(2);
    for (const value of ["0", "-5", "1.5", "ten"]) {
      expect(variableOfError(() => readAccessTokenConfig({ JWKS_CACHE_SECONDS: value }))).toBe("JWKS_CACHE_SECONDS");
    }
  });
});
