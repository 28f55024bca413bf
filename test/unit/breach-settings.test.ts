import { describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/config";
import { PUBLIC_RANGE_URL, readBreachSettings } from "@/lib/passwords/breach-settings";

describe("readBreachSettings", () => {
  it("asks the public range API by default", () => {
    expect(readBreachSettings({})).toEqual({ mode: "range", rangeUrl: PUBLIC_RANGE_URL });
    expect(PUBLIC_RANGE_URL).toBe("https://api.pwnedpasswords.com/range");
  });

  it("takes offline and off, in any case", () => {
    expect(readBreachSettings({ BREACHED_PASSWORDS: "offline" }).mode).toBe("offline");
    expect(readBreachSettings({ BREACHED_PASSWORDS: " OFF " }).mode).toBe("off");
  });

  it("refuses another mode, naming the variable", () => {
    expect(() => readBreachSettings({ BREACHED_PASSWORDS: "on" })).toThrow(ConfigError);
    expect(() => readBreachSettings({ BREACHED_PASSWORDS: "on" })).toThrow(/BREACHED_PASSWORDS: must be one of range, offline, off/);
  });

  it("takes a mirror's range endpoint, without a trailing slash", () => {
    expect(readBreachSettings({ PWNED_PASSWORDS_URL: "https://pwned.internal.example/range/" }).rangeUrl).toBe(
      "https://pwned.internal.example/range",
    );
  });

  it("refuses what is not an http(s) URL, or carries a query or credentials", () => {
    for (const url of ["not a url", "ftp://mirror.example/range", "https://mirror.example/range?x=1", "https://u:p@mirror.example/range"]) {
      expect(() => readBreachSettings({ PWNED_PASSWORDS_URL: url })).toThrow(/PWNED_PASSWORDS_URL/);
    }
  });
});
