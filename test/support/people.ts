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

const randomGroups = (count: number) => Array.from({ length: count }, () => (1 + randomInt(0xffff)).toString(16)).join(":");

/**
 * A client address for one test, to send as X-Forwarded-For, in the IPv6 documentation prefix 2001:db8::/32. The
 * server's address limits count its /64, which has 32 random bits: two draws share one about once in 4 billion.
 */
export function newAddress(): string {
  return `2001:db8:${randomGroups(6)}`;
}

/** One client's IPv6 /64 (32 random bits, as newAddress's): each call gives another address in it. */
export function newSubnet(): () => string {
  const network = `2001:db8:${randomGroups(2)}`;
  return () => `${network}:${randomGroups(4)}`;
}
