// What a session row records about the client: enough for a person to recognize their own devices in
// /account/sessions, no more. Pure, so it is testable and usable from any runtime.

const MAX_USER_AGENT_LENGTH = 256;

export function shortUserAgent(value: string | null | undefined): string | null {
  const text = value?.trim();
  return text ? text.slice(0, MAX_USER_AGENT_LENGTH) : null;
}

/** An IPv4 address's four octets, an IPv4-mapped IPv6 one's included (as Node reports IPv4 clients on a dual-stack socket). */
function ipv4Octets(text: string): number[] | null {
  const v4 = (text.toLowerCase().startsWith("::ffff:") ? text.slice(7) : text).match(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  const octets = v4?.slice(1).map(Number);
  return octets?.every((n) => n <= 255) ? octets : null;
}

/** An IPv6 address's eight groups, `::` expanded, in lowercase hex without leading zeros; null for anything else. */
function ipv6Groups(text: string): string[] | null {
  if (!/^[0-9a-f:]+$/i.test(text) || !text.includes(":")) return null;
  const [head = "", tail = ""] = text.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  if (missing < 0 || (!text.includes("::") && missing !== 0)) return null;
  const groups = [...headGroups, ...Array<string>(missing).fill("0"), ...tailGroups];
  if (groups.some((g) => g.length === 0 || g.length > 4)) return null;
  return groups.map((g) => parseInt(g, 16).toString(16));
}

/** An IPv4 address cut to its /24, an IPv6 address to its /48; null for anything else. */
export function ipPrefix(address: string | null | undefined): string | null {
  const text = address?.trim();
  if (!text) return null;
  const v4 = ipv4Octets(text);
  if (v4) return `${v4.slice(0, 3).join(".")}.0/24`;
  const v6 = ipv6Groups(text);
  return v6 ? `${v6.slice(0, 3).join(":")}::/48` : null;
}

/**
 * What a per-address limit counts for a client address: an IPv4 address itself, an IPv6 address by its /64. A
 * /64 is the least a subscriber is given (RFC 6177), so counting single IPv6 addresses would let one client step
 * through 2^64 of them past every limit. Anything else is counted as it came.
 */
export function limitedNetwork(address: string): string {
  const text = address.trim();
  const v4 = ipv4Octets(text);
  if (v4) return v4.join(".");
  const v6 = ipv6Groups(text);
  return v6 ? `${v6.slice(0, 4).join(":")}::/64` : text;
}

const V4_PREFIX = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.0\/24$/;
const V6_PREFIX = /^([0-9a-f]{1,4}):([0-9a-f]{1,4}):([0-9a-f]{1,4})::\/48$/i;
export const THIS_MACHINE = "this machine";
export const PRIVATE_NETWORK = "a private network";

/** Private (RFC 1918), shared carrier (RFC 6598) and link-local IPv4 ranges, by their first two octets. */
function isPrivateV4(a: number, b: number): boolean {
  return (
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254)
  );
}

/**
 * Where a session came from, as a person reads it after "from", given what ipPrefix stored: "203.0.113.x",
 * "an address in 2001:db8:1::/48", "this machine" (loopback: the server's own host), "a private network"; null
 * when nothing was recorded. The last digits were never stored, so none is made up.
 */
export function describeAddress(prefix: string | null | undefined): string | null {
  const text = prefix?.trim();
  if (!text) return null;
  const v4 = text.match(V4_PREFIX);
  if (v4) {
    const [a, b, c] = v4.slice(1).map(Number) as [number, number, number];
    if (a === 127) return THIS_MACHINE;
    return isPrivateV4(a, b) ? PRIVATE_NETWORK : `${a}.${b}.${c}.x`;
  }
  const v6 = text.match(V6_PREFIX);
  if (v6) {
    const groups = v6.slice(1).map((group) => parseInt(group, 16));
    // ::/48 holds ::1, the loopback address, and nothing a remote client could come from.
    if (groups.every((group) => group === 0)) return THIS_MACHINE;
    const first = groups[0]!;
    // Unique local (fc00::/7) and link-local (fe80::/10) addresses.
    if ((first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80) return PRIVATE_NETWORK;
    while (groups.at(-1) === 0) groups.pop();
    return `an address in ${groups.map((group) => group.toString(16)).join(":")}::/48`;
  }
  return text;
}

/** Set by the server for every request (lib/http/client-address.server.ts); a client cannot choose its value. */
export const CLIENT_ADDRESS_HEADER = "x-tessera-client-address";

/** The client's address as the server established it; null when unknown. */
export function clientAddress(headers: Headers): string | null {
  return headers.get(CLIENT_ADDRESS_HEADER)?.trim() || null;
}

export function clientInfoFrom(headers: Headers): { userAgent: string | null; ipPrefix: string | null; address: string | null } {
  const address = clientAddress(headers);
  return { userAgent: shortUserAgent(headers.get("user-agent")), ipPrefix: ipPrefix(address), address };
}
