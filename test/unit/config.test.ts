import { describe, expect, it } from "vitest";
import { ConfigError, readAbuseLimits, readMailConfig, readPasswordPolicy, readRecoveryConfig, readSessionConfig } from "@/lib/config";

const secret = (bytes: number) => Buffer.alloc(bytes, 1).toString("base64");

function configError(read: () => unknown): ConfigError {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("readSessionConfig", () => {
  it("refuses a missing secret and names the variable", () => {
    const error = configError(() => readSessionConfig({ NODE_ENV: "production" }));
    expect(error.variable).toBe("SESSION_SECRET");
    expect(error.message).toContain("SESSION_SECRET");
  });

  it("refuses a secret shorter than 256 bits", () => {
    expect(configError(() => readSessionConfig({ SESSION_SECRET: secret(31) })).message).toMatch(/248 bits/);
  });

  it("refuses a secret that is not base64", () => {
    expect(configError(() => readSessionConfig({ SESSION_SECRET: "not base64 at all!" })).variable).toBe(
      "SESSION_SECRET",
    );
  });

  it("accepts base64 and base64url secrets of 256 bits or more", () => {
    expect(readSessionConfig({ SESSION_SECRET: secret(32) }).signingSecret).toHaveLength(32);
    const urlSafe = Buffer.alloc(48, 251).toString("base64url");
    expect(readSessionConfig({ SESSION_SECRET: urlSafe }).signingSecret).toEqual(new Uint8Array(48).fill(251));
  });

  it("holds previous secrets to the same rules, and names their variable", () => {
    const config = readSessionConfig({ SESSION_SECRET: secret(32), SESSION_PREVIOUS_SECRETS: `${secret(32)}, ${secret(40)}` });
    expect(config.previousSecrets.map((key) => key.length)).toEqual([32, 40]);
    const error = configError(() => readSessionConfig({ SESSION_SECRET: secret(32), SESSION_PREVIOUS_SECRETS: secret(8) }));
    expect(error.variable).toBe("SESSION_PREVIOUS_SECRETS");
  });

  it("uses Secure __Host- cookies in production only", () => {
    const production = readSessionConfig({ SESSION_SECRET: secret(32), NODE_ENV: "production" });
    expect(production).toMatchObject({ cookieName: "__Host-session", secureCookie: true });
    const development = readSessionConfig({ SESSION_SECRET: secret(32), NODE_ENV: "development" });
    expect(development).toMatchObject({ cookieName: "session", secureCookie: false });
  });

  it("defaults to an idle timeout of 24 hours, an absolute one of 30 days, access tokens of 15 minutes", () => {
    const config = readSessionConfig({ SESSION_SECRET: secret(32) });
    expect(config).toMatchObject({ idleTimeoutSeconds: 86_400, absoluteTimeoutSeconds: 2_592_000, accessTokenTtlSeconds: 900 });
    expect(config.renewAfterSeconds).toBe(300);
  });

  it("accepts configured timeouts, renews at a quarter of a short idle timeout, refuses nonsense", () => {
    const short = readSessionConfig({ SESSION_SECRET: secret(32), SESSION_IDLE_TIMEOUT_SECONDS: "8" });
    expect(short).toMatchObject({ idleTimeoutSeconds: 8, renewAfterSeconds: 2 });
    expect(configError(() => readSessionConfig({ SESSION_SECRET: secret(32), SESSION_IDLE_TIMEOUT_SECONDS: "1h" })).variable).toBe(
      "SESSION_IDLE_TIMEOUT_SECONDS",
    );
    const inverted = { SESSION_SECRET: secret(32), SESSION_IDLE_TIMEOUT_SECONDS: "100", SESSION_ABSOLUTE_TIMEOUT_SECONDS: "50" };
    expect(configError(() => readSessionConfig(inverted)).variable).toBe("SESSION_ABSOLUTE_TIMEOUT_SECONDS");
  });

  it("keeps an access token to half the idle timeout, so that a client refreshing when it expires is still signed in", () => {
    const owasp = { SESSION_SECRET: secret(32), SESSION_IDLE_TIMEOUT_SECONDS: "900" };
    expect(readSessionConfig(owasp).accessTokenTtlSeconds).toBe(450);
    expect(readSessionConfig({ ...owasp, ACCESS_TOKEN_TTL_SECONDS: "450" }).accessTokenTtlSeconds).toBe(450);
    expect(configError(() => readSessionConfig({ ...owasp, ACCESS_TOKEN_TTL_SECONDS: "900" })).variable).toBe("ACCESS_TOKEN_TTL_SECONDS");
    expect(readSessionConfig({ SESSION_SECRET: secret(32), SESSION_IDLE_TIMEOUT_SECONDS: "3" }).accessTokenTtlSeconds).toBe(1);
  });
});

describe("readPasswordPolicy", () => {
  it("defaults to 15 to 128 characters", () => {
    expect(readPasswordPolicy({})).toEqual({ minLength: 15, maxLength: 128 });
  });

  it("never goes below 8", () => {
    expect(readPasswordPolicy({ PASSWORD_MIN_LENGTH: "8" }).minLength).toBe(8);
    expect(configError(() => readPasswordPolicy({ PASSWORD_MIN_LENGTH: "7" })).variable).toBe("PASSWORD_MIN_LENGTH");
  });
});

describe("readAbuseLimits", () => {
  it("has the documented defaults", () => {
    expect(readAbuseLimits({})).toEqual({
      signInsPerAccount: 10,
      signInsPerAddress: 50,
      signInWindowSeconds: 900,
      signUpsPerAddress: 10,
      signUpWindowSeconds: 3600,
      providerStartsPerAddress: 30,
      hashQueueLimit: 64,
    });
  });

  it("takes a queue of 0 (refuse whatever cannot start at once) and names the variable of a bad value", () => {
    expect(readAbuseLimits({ PASSWORD_HASH_QUEUE_LIMIT: "0" }).hashQueueLimit).toBe(0);
    expect(configError(() => readAbuseLimits({ PASSWORD_HASH_QUEUE_LIMIT: "-1" })).variable).toBe("PASSWORD_HASH_QUEUE_LIMIT");
    expect(configError(() => readAbuseLimits({ SIGN_UPS_PER_ADDRESS: "0" })).variable).toBe("SIGN_UPS_PER_ADDRESS");
    expect(configError(() => readAbuseLimits({ PROVIDER_STARTS_PER_ADDRESS: "0" })).variable).toBe("PROVIDER_STARTS_PER_ADDRESS");
    expect(configError(() => readAbuseLimits({ SIGN_IN_WINDOW_SECONDS: "15m" })).variable).toBe("SIGN_IN_WINDOW_SECONDS");
    expect(configError(() => readAbuseLimits({ SIGN_INS_PER_ACCOUNT: "101" })).message).toContain("at most 100");
  });
});

describe("readMailConfig", () => {
  it("requires APP_URL in production, and names it", () => {
    expect(configError(() => readMailConfig({ NODE_ENV: "production" })).variable).toBe("APP_URL");
  });

  it("takes next dev's address outside production", () => {
    expect(readMailConfig({ NODE_ENV: "development" }).appUrl.href).toBe("http://localhost:3000/");
  });

  it.each(["tessera.example.com", "ftp://tessera.example.com", "https://tessera.example.com/app", "https://x.example?a=1", "https://u:p@x.example"])(
    "refuses an APP_URL that is not an http(s) origin: %s",
    (value) => {
      expect(configError(() => readMailConfig({ APP_URL: value })).variable).toBe("APP_URL");
    },
  );

  it("builds From on APP_URL's host unless MAIL_FROM says otherwise", () => {
    expect(readMailConfig({ APP_URL: "https://tessera.example.com" }).from).toBe("Tessera <no-reply@tessera.example.com>");
    expect(readMailConfig({ APP_URL: "https://tessera.example.com", MAIL_FROM: "Ops <ops@example.com>" }).from).toBe("Ops <ops@example.com>");
  });

  it("keeps no SMTP_URL as null, and refuses one that is not smtp:// or smtps://", () => {
    expect(readMailConfig({}).smtpUrl).toBeNull();
    expect(readMailConfig({ SMTP_URL: "smtp://u:p@mail.example:587" }).smtpUrl).toBe("smtp://u:p@mail.example:587");
    expect(configError(() => readMailConfig({ SMTP_URL: "http://mail.example" })).variable).toBe("SMTP_URL");
    expect(configError(() => readMailConfig({ SMTP_URL: "mail.example:25" })).variable).toBe("SMTP_URL");
  });
});

describe("readRecoveryConfig", () => {
  it("has the documented defaults", () => {
    expect(readRecoveryConfig({})).toEqual({
      passwordResetTtlSeconds: 1800,
      emailConfirmationTtlSeconds: 86_400,
      requireEmailVerification: false,
      mailsPerAccount: 3,
      mailsPerAddress: 20,
      mailWindowSeconds: 3600,
    });
  });

  it("reads REQUIRE_EMAIL_VERIFICATION as true or false only", () => {
    expect(readRecoveryConfig({ REQUIRE_EMAIL_VERIFICATION: "true" }).requireEmailVerification).toBe(true);
    expect(configError(() => readRecoveryConfig({ REQUIRE_EMAIL_VERIFICATION: "yes please" })).variable).toBe("REQUIRE_EMAIL_VERIFICATION");
  });
});
