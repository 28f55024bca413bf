import { describe, expect, it } from "vitest";
import { isProtectedPath, safeReturnPath, signInPathFor } from "@/lib/routes";

describe("safeReturnPath", () => {
  it.each(["/account", "/account/x", "/account/x?tab=1#top", "/"])("keeps the same-origin path %s", (path) => {
    expect(safeReturnPath(path)).toBe(path);
  });

  it.each([
    "//evil.example",
    "//evil.example/account",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https://evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "account",
    "/\t/evil.example",
    "/\n/evil.example",
    "",
    "%2F%2Fevil.example",
  ])("refuses %j and falls back to /account", (next) => {
    expect(safeReturnPath(next)).toBe("/account");
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
});
