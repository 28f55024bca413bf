import { describe, expect, it } from "vitest";
import { trustedClientAddress } from "@/lib/http/client-address.server";

describe("trustedClientAddress", () => {
  it("is the socket's address when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(trustedClientAddress("198.51.100.4", "203.0.113.9", 0)).toBe("198.51.100.4");
  });

  it("behind trusted proxies, is the entry the nearest trusted proxy appended", () => {
    expect(trustedClientAddress("10.0.0.2", "spoofed, 203.0.113.9", 1)).toBe("203.0.113.9");
    expect(trustedClientAddress("10.0.0.2", "spoofed, 203.0.113.9, 10.0.0.1", 2)).toBe("203.0.113.9");
  });

  it("falls back to the socket when the chain is shorter than the proxies", () => {
    expect(trustedClientAddress("10.0.0.2", undefined, 1)).toBe("10.0.0.2");
    expect(trustedClientAddress("10.0.0.2", "", 2)).toBe("10.0.0.2");
  });
});
