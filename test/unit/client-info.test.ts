import { describe, expect, it } from "vitest";
import { clientAddress, ipPrefix, shortUserAgent } from "@/lib/client-info";

describe("ipPrefix", () => {
  it.each([
    ["203.0.113.77", "203.0.113.0/24"],
    ["::ffff:198.51.100.9", "198.51.100.0/24"],
    ["2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::/48"],
    ["2001:db8::1", "2001:db8:0::/48"],
    ["::1", "0:0:0::/48"],
  ])("cuts %s to %s", (address, prefix) => {
    expect(ipPrefix(address)).toBe(prefix);
  });

  it.each(["", "300.1.1.1", "not an address", "1.2.3", "2001:db8:::1", undefined, null])("refuses %j", (address) => {
    expect(ipPrefix(address)).toBeNull();
  });
});

describe("client details", () => {
  it("reads the address the server established, never X-Forwarded-For, and bounds the user agent", () => {
    expect(clientAddress(new Headers({ "x-tessera-client-address": "203.0.113.7" }))).toBe("203.0.113.7");
    expect(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.7" }))).toBeNull();
    expect(shortUserAgent("x".repeat(1000))).toHaveLength(256);
    expect(shortUserAgent("  ")).toBeNull();
  });
});
