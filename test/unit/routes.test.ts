import { describe, expect, it } from "vitest";
import { isProtectedPath, nextToCarry, safeReturnPath, signInPageReturningTo, signInPathFor } from "@/lib/routes";
import { OFFSITE_RETURN_PATHS } from "../support/offsite-return-paths";

describe("safeReturnPath", () => {
  it.each(["/account", "/account/x", "/account/x?tab=1#top", "/"])("keeps the same-origin path %s", (path) => {
    expect(safeReturnPath(path)).toBe(path);
  });

  it.each([
    ["/account/./sessions", "/account/sessions"],
    ["/account/x/../sessions", "/account/sessions"],
    ["/account/%2e%2e/admin", "/admin"],
  ])("resolves the dot segments of %j to %j, a path on this origin", (next, path) => {
    expect(safeReturnPath(next)).toBe(path);
  });

  it.each(["/account?next=//evil.example", "/account?q=%2F%2Fevil.example#%0a", "/files/100%25", "/account/a%20b"])(
    "keeps %j: only the path decides where a browser goes, and its escapes decode to a plain path",
    (path) => {
      expect(safeReturnPath(path)).toBe(path);
    },
  );

  it.each([...OFFSITE_RETURN_PATHS, "account", "", "%2F%2Fevil.example"])(
    "refuses %j and falls back to /account (or the fallback given)",
    (next) => {
      expect(safeReturnPath(next)).toBe("/account");
      expect(safeReturnPath(next, "/")).toBe("/");
    },
  );

  it("decodes an escape nested many times over, and still refuses it", () => {
    const nested = `/%${"25".repeat(900)}2f/evil.example`;
    expect(nested.length).toBeLessThan(2048);
    expect(safeReturnPath(nested)).toBe("/account");
  });

  it("returns only paths it would return unchanged, so checking twice changes nothing", () => {
    for (const next of [...OFFSITE_RETURN_PATHS, "/account/./x", "/account/x/../y?z=1#w", "/"]) {
      const path = safeReturnPath(next);
      expect(safeReturnPath(path)).toBe(path);
      expect(new URL(path, "https://tessera.example").origin).toBe("https://tessera.example");
    }
  });

  it("refuses non-strings (a repeated query parameter arrives as an array)", () => {
    expect(safeReturnPath(["/account/x", "//evil.example"])).toBe("/account");
    expect(safeReturnPath(undefined)).toBe("/account");
  });
});

describe("protected paths", () => {
  it("are /account and everything under it, nothing that merely starts with the same letters", () => {
    expect(isProtectedPath("/account")).toBe(true);
    expect(isProtectedPath("/account/settings")).toBe(true);
    expect(isProtectedPath("/accounting")).toBe(false);
    expect(isProtectedPath("/")).toBe(false);
  });

  it("send a signed-out request to sign-in with the path to come back to", () => {
    expect(signInPathFor("/account")).toBe("/sign-in?next=%2Faccount");
  });

  it("carry no `next` for /account, where a sign-in goes anyway, and any other path as it is", () => {
    expect(nextToCarry("/account")).toBeUndefined();
    expect(signInPageReturningTo("/account")).toBe("/sign-in");
    expect(nextToCarry("/account/security?x=1")).toBe("/account/security?x=1");
    expect(signInPageReturningTo("/account/security?x=1")).toBe("/sign-in?next=%2Faccount%2Fsecurity%3Fx%3D1");
  });
});
