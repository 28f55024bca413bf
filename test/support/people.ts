// Test data that is a test's own, shared by the Vitest suites and the e2e stories. Tests run in parallel against
// one database (and the servers they start share it), so anything a test counts must carry an id no other test can
// draw: random bits, never the clock or a counter.
import { randomBytes, randomInt } from "node:crypto";

/** The password test people sign up with: it satisfies the default rules. A test about another spells its own. */
export const PASSWORD = "correct horse battery staple";

/** 64 random bits in hex. */
export function uniqueId(): string {
  return randomBytes(8).toString("hex");
}

export function newEmail(label = "person"): string {
  return `${label}-${uniqueId()}@example.com`;
}

/**
 * A client address no other test can draw, to send as X-Forwarded-For: 96 random bits in the IPv6 documentation
 * prefix 2001:db8::/32. No group is zero, so it is already in the canonical form the server keys its throttles by.
 */
export function newAddress(): string {
  const groups = Array.from({ length: 6 }, () => (1 + randomInt(0xffff)).toString(16));
  return `2001:db8:${groups.join(":")}`;
}
