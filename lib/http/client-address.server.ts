import "server-only";
// The client's address, decided once per request where the socket is still in reach. Next.js keeps an
// X-Forwarded-For that the client sent itself (it only fills one in when there is none), so a client could
// name any address it liked and walk around per-address throttling. Before Next.js sees a request, this
// replaces CLIENT_ADDRESS_HEADER with the socket's address, or, behind TRUSTED_PROXY_HOPS proxies, with the
// address the nearest trusted proxy saw. Whatever the client sent under that name is discarded.
import http from "node:http";
import { CLIENT_ADDRESS_HEADER } from "./client-info";

/** The address at `hops` from the right of X-Forwarded-For (what our n-th proxy saw), else the socket's. */
export function trustedClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  hops: number,
): string | undefined {
  if (hops <= 0) return socketAddress;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return chain[chain.length - hops] ?? socketAddress;
}

let installed = false;

/** Patches the HTTP server's request event; called once from instrumentation.ts. */
export function installClientAddressHeader(hops: number): void {
  if (installed) return;
  installed = true;
  const emit = http.Server.prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      const address = trustedClientAddress(request.socket.remoteAddress, request.headers["x-forwarded-for"], hops);
      if (address) request.headers[CLIENT_ADDRESS_HEADER] = address;
      else delete request.headers[CLIENT_ADDRESS_HEADER];
    }
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
}
