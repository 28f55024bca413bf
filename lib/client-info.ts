// What a session row records about the client: enough for a person to recognize their own devices in
// /account/sessions, no more. Pure, so it is testable and usable from any runtime.

const MAX_USER_AGENT_LENGTH = 256;

export function shortUserAgent(value: string | null | undefined): string | null {
  const text = value?.trim();
  return text ? text.slice(0, MAX_USER_AGENT_LENGTH) : null;
}

/** An IPv4 address cut to its /24, an IPv6 address to its /48; null for anything else. */
export function ipPrefix(address: string | null | undefined): string | null {
  let text = address?.trim();
  if (!text) return null;
  // IPv4-mapped IPv6, as Node reports IPv4 clients on a dual-stack socket.
  if (text.toLowerCase().startsWith("::ffff:") && text.includes(".")) text = text.slice(7);
  const v4 = text.match(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  if (v4) {
    const octets = v4.slice(1).map(Number);
    return octets.every((n) => n <= 255) ? `${octets.slice(0, 3).join(".")}.0/24` : null;
  }
  if (/^[0-9a-f:]+$/i.test(text) && text.includes(":")) {
    const [head = "", tail = ""] = text.split("::");
    const headGroups = head ? head.split(":") : [];
    const tailGroups = tail ? tail.split(":") : [];
    const missing = 8 - headGroups.length - tailGroups.length;
    if (missing < 0 || (!text.includes("::") && missing !== 0)) return null;
    const groups = [...headGroups, ...Array(missing).fill("0"), ...tailGroups];
    if (groups.some((g) => g.length === 0 || g.length > 4)) return null;
    return `${groups.slice(0, 3).map((g) => parseInt(g, 16).toString(16)).join(":")}::/48`;
  }
  return null;
}

/** Set by the server for every request (lib/client-address.server.ts); a client cannot choose its value. */
export const CLIENT_ADDRESS_HEADER = "x-tessera-client-address";

/** The client's address as the server established it; null when unknown. */
export function clientAddress(headers: Headers): string | null {
  return headers.get(CLIENT_ADDRESS_HEADER)?.trim() || null;
}

export function clientInfoFrom(headers: Headers): { userAgent: string | null; ipPrefix: string | null; address: string | null } {
  const address = clientAddress(headers);
  return { userAgent: shortUserAgent(headers.get("user-agent")), ipPrefix: ipPrefix(address), address };
}
