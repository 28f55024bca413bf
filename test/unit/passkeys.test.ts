// The pure parts of passkeys: the relying party from APP_URL, names, the shape check of what a browser posts,
// and the sentences a failure shows.
import { describe, expect, it } from "vitest";
import { readMailConfig } from "@/lib/config";
import { isCredentialId, isSynced, toTransports } from "@/lib/passkeys/webauthn-credentials";
import { PasskeyError } from "@/lib/passkeys/errors";
import { checkPasskeyName, defaultPasskeyName } from "@/lib/passkeys/names";
import { relyingParty } from "@/lib/passkeys/relying-party";
import { challengeOf, parseAuthenticationResponse, parseRegistrationResponse, userHandleText } from "@/lib/passkeys/responses";

const CHROME_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const id = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const clientDataJSON = Buffer.from(JSON.stringify({ type: "webauthn.get", challenge: "abc_-123", origin: "https://x" })).toString("base64url");

describe("the relying party", () => {
  it("is APP_URL's host and origin", () => {
    const config = readMailConfig({ NODE_ENV: "production", APP_URL: "https://tessera.example.com" });
    expect(relyingParty(config)).toEqual({ id: "tessera.example.com", origin: "https://tessera.example.com", name: "Tessera" });
    expect(relyingParty(readMailConfig({ NODE_ENV: "test", APP_URL: "http://localhost:4123" }))).toMatchObject({
      id: "localhost",
      origin: "http://localhost:4123",
    });
  });
});

describe("passkey names", () => {
  it("default to the device, as /account/sessions names it", () => {
    expect(defaultPasskeyName(CHROME_ON_LINUX)).toBe("Chrome on Linux");
    expect(defaultPasskeyName(null)).toBe("Passkey");
    expect(defaultPasskeyName("x".repeat(300)).length).toBeLessThanOrEqual(64);
  });

  it("are trimmed, without control characters, 1 to 64 characters", () => {
    expect(checkPasskeyName("  Work\u0000 laptop\n ")).toEqual({ ok: true, value: "Work laptop" });
    expect(checkPasskeyName("\t \u0007")).toEqual({ ok: false, error: "Enter a name." });
    expect(checkPasskeyName({ not: "" })).toEqual({ ok: false, error: "Enter a name." });
    expect(checkPasskeyName("x".repeat(64))).toMatchObject({ ok: true });
    expect(checkPasskeyName("x".repeat(65))).toEqual({ ok: false, error: "At most 64 characters." });
  });
});

describe("credentials", () => {
  it("have base64url ids, known transports, and are synced when backed up or multi-device", () => {
    expect(isCredentialId(id)).toBe(true);
    for (const junk of ["short", `${id}=`, `${id}+`, { not: "" }, 42]) expect(isCredentialId(junk)).toBe(false);
    expect(toTransports("internal,hybrid,bogus,internal")).toEqual(["internal", "hybrid"]);
    expect(toTransports(["usb", 1, "nfc"])).toEqual(["usb", "nfc"]);
    expect(toTransports(null)).toEqual([]);
    expect(isSynced({ deviceType: "singleDevice", backedUp: false })).toBe(false);
    expect(isSynced({ deviceType: "multiDevice", backedUp: false })).toBe(true);
  });
});

describe("what the browser posts", () => {
  const assertion = {
    id,
    rawId: id,
    type: "public-key",
    response: { clientDataJSON, authenticatorData: "AAAA", signature: "AAAA", userHandle: "YWRh" },
    clientExtensionResults: { evil: true },
    extra: "dropped",
  };

  it("keeps the fields WebAuthn defines, and nothing else", () => {
    const parsed = parseAuthenticationResponse(assertion);
    expect(parsed).toEqual({
      id,
      rawId: id,
      type: "public-key",
      authenticatorAttachment: undefined,
      clientExtensionResults: {},
      response: { clientDataJSON, authenticatorData: "AAAA", signature: "AAAA", userHandle: "YWRh" },
    });
    expect(challengeOf(parsed!)).toBe("abc_-123");
    expect(userHandleText(parsed!.response.userHandle)).toBe("ada");
  });

  it("refuses any other shape", () => {
    const bad = [
      null,
      "x",
      { ...assertion, rawId: "other" },
      { ...assertion, type: "password" },
      { ...assertion, id: { not: "" } },
      { ...assertion, response: { ...assertion.response, signature: "not base64url!" } },
      { ...assertion, response: { ...assertion.response, userHandle: 42 } },
      { ...assertion, response: { ...assertion.response, clientDataJSON: "x".repeat(40_000) } },
    ];
    for (const input of bad) expect(parseAuthenticationResponse(input)).toBeNull();
    expect(parseRegistrationResponse(assertion)).toBeNull();
    expect(challengeOf({ response: { clientDataJSON: "bm90IGpzb24" } })).toBeNull();
  });
});

describe("a failed ceremony", () => {
  it("says one sentence at sign-in whatever the reason, and tells the expired request apart", () => {
    const reasons = ["not-verified", "unknown-credential", "wrong-account"] as const;
    expect(new Set(reasons.map((reason) => new PasskeyError(reason, "sign-in").userMessage))).toEqual(
      new Set(["That passkey could not sign you in."]),
    );
    expect(new PasskeyError("challenge", "sign-in").userMessage).toBe("That request has expired. Please try again.");
    expect(new PasskeyError("already-registered", "registration").userMessage).toBe("That passkey is already registered.");
    expect(new PasskeyError("wrong-account", "step-up").userMessage).toBe("That passkey could not confirm it is you.");
  });
});
