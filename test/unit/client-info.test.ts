import { describe, expect, it } from "vitest";
import { clientAddress, describeAddress, ipPrefix, limitedNetwork, shortUserAgent } from "@/lib/http/client-info";

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

describe("limitedNetwork", () => {
  it.each([
    ["203.0.113.77", "203.0.113.77"],
    ["::ffff:198.51.100.9", "198.51.100.9"],
    ["2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3:8d3::/64"],
    ["2001:DB8:85a3:08d3::1", "2001:db8:85a3:8d3::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    [" not an address ", "not an address"],
  ])("counts %s as %s", (address, network) => {
    expect(limitedNetwork(address)).toBe(network);
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

describe("describeAddress", () => {
  // Each address through ipPrefix first, as it is stored, then as a person reads it.
  it.each([
    ["203.0.113.77", "203.0.113.x"],
    ["::ffff:198.51.100.9", "198.51.100.x"],
    ["2001:db8:85a3:8d3:1319:8a2e:370:7348", "an address in 2001:db8:85a3::/48"],
    ["2001:db8::1", "an address in 2001:db8::/48"],
    ["2001:0:1::5", "an address in 2001:0:1::/48"],
    ["127.0.0.1", "this machine"],
    ["::ffff:127.0.0.1", "this machine"],
    ["::1", "this machine"],
    ["10.1.2.3", "a private network"],
    ["172.16.0.9", "a private network"],
    ["172.31.255.1", "a private network"],
    ["192.168.1.20", "a private network"],
    ["100.64.0.1", "a private network"],
    ["169.254.10.10", "a private network"],
    ["fd12:3456:789a::1", "a private network"],
    ["fe80::1", "a private network"],
    ["172.32.0.1", "172.32.0.x"],
  ])("shows %s as %s", (address, description) => {
    expect(describeAddress(ipPrefix(address))).toBe(description);
  });

  it("has nothing to say without an address, and shows a stored value it does not know as it is", () => {
    expect(describeAddress(null)).toBeNull();
    expect(describeAddress("")).toBeNull();
    expect(describeAddress("198.51.100.0/25")).toBe("198.51.100.0/25");
  });
});
