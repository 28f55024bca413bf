// Provider settings from the environment, and the session methods a provider sign-in records.
import { describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/config";
import { readProvidersConfig } from "@/lib/config/providers";
import { amrOf, describeSignInMethod, isFirstFactorMethod, isSignInMethod, methodAfterConfirmation, parseAmr, withSecondFactor } from "@/lib/tokens/sign-in-methods";

describe("provider settings", () => {
  it("configures none by default", () => {
    expect(readProvidersConfig({}).providers).toEqual([]);
  });

  it("reads several at once, in a fixed order, with the presets' defaults", () => {
    const { providers, timeoutSeconds } = readProvidersConfig({
      GITHUB_CLIENT_ID: "gh",
      GITHUB_CLIENT_SECRET: "gh-secret",
      GOOGLE_CLIENT_ID: "g",
      GOOGLE_CLIENT_SECRET: "g-secret",
      OIDC_ISSUER: "https://sso.example.com",
      OIDC_CLIENT_ID: "o",
      OIDC_NAME: "Acme SSO",
    });
    expect(providers.map((provider) => [provider.id, provider.name])).toEqual([["oidc", "Acme SSO"], ["google", "Google"], ["github", "GitHub"]]);
    expect(providers[0]).toMatchObject({ clientSecret: null });
    expect(providers[1]).toMatchObject({ kind: "oidc", issuer: new URL("https://accounts.google.com") });
    expect(providers[2]).toMatchObject({ webUrl: new URL("https://github.com"), apiUrl: new URL("https://api.github.com") });
    expect(timeoutSeconds).toBe(5);
  });

  it("refuses half a provider, plain http off this machine, and a timeout a person cannot wait for", () => {
    expect(() => readProvidersConfig({ GOOGLE_CLIENT_ID: "g" })).toThrow(ConfigError);
    expect(() => readProvidersConfig({ GITHUB_CLIENT_SECRET: "s" })).toThrow(ConfigError);
    expect(() => readProvidersConfig({ OIDC_CLIENT_ID: "o" })).toThrow(ConfigError);
    expect(() => readProvidersConfig({ OIDC_ISSUER: "http://sso.example.com", OIDC_CLIENT_ID: "o" })).toThrow(/https/);
    expect(readProvidersConfig({ OIDC_ISSUER: "http://localhost:4000", OIDC_CLIENT_ID: "o" }).providers).toHaveLength(1);
    expect(() => readProvidersConfig({ PROVIDER_TIMEOUT_SECONDS: "60" })).toThrow(ConfigError);
  });
});

describe("provider sign-in methods", () => {
  it("are one factor alone and two with a code, in words the sessions page uses", () => {
    expect(amrOf("provider:github")).toEqual(["fed"]);
    expect(amrOf("provider:github+otp")).toEqual(["fed", "otp", "mfa"]);
    expect(describeSignInMethod("provider:github")).toBe("GitHub");
    expect(describeSignInMethod("provider:google+recovery-code")).toBe("Google and recovery code");
    expect(describeSignInMethod("password+otp")).toBe("password and authenticator app");
    expect(parseAmr(["fed"])).toEqual(["fed"]);
  });

  it("are known by shape, and a code raises a provider session as it raises a password one", () => {
    expect(isSignInMethod("provider:github")).toBe(true);
    expect(isSignInMethod("provider:facebook")).toBe(false);
    expect(isFirstFactorMethod("provider:oidc")).toBe(true);
    expect(isFirstFactorMethod("provider:oidc+otp")).toBe(false);
    expect(withSecondFactor("provider:oidc", "otp")).toBe("provider:oidc+otp");
    expect(methodAfterConfirmation("provider:google", "otp")).toBe("provider:google+otp");
    expect(methodAfterConfirmation("provider:google", "provider")).toBe("provider:google");
    expect(methodAfterConfirmation("password+otp", "provider")).toBe("password+otp");
  });
});
