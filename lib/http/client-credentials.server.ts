import "server-only";
// Resource servers authenticating to this app (RFC 6749 2.3.1): client_secret_basic (Authorization: Basic) or
// client_secret_post (client_id and client_secret in the body), one method per request. Secrets come from
// configuration and are compared in constant time, known client or not.
import { createHash, timingSafeEqual } from "node:crypto";
import { ApiError } from "./json-api.server";

export interface ClientCredentials {
  clientId: string;
  secret: string;
}

/** 401 invalid_client with the Basic challenge RFC 6749 5.2 asks for. */
function invalidClient(): ApiError {
  return new ApiError(401, "invalid_client", "Client authentication failed.", {
    "WWW-Authenticate": 'Basic realm="tessera", charset="UTF-8"',
  });
}

/** Basic credentials: base64 of id:secret, each form-urlencoded first (RFC 6749 2.3.1). Null when malformed. */
function basicCredentials(authorization: string): ClientCredentials | null {
  const match = authorization.match(/^Basic ([A-Za-z0-9+/]+={0,2})$/i);
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  try {
    const unescape = (part: string) => decodeURIComponent(part.replace(/\+/g, " "));
    return { clientId: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}

/**
 * The credentials a request presents, or null. One method per request (RFC 6749 2.3): with Basic, the body may
 * repeat the same client_id but carry no secret and name no other client; otherwise 400 invalid_request, as
 * RFC 6749 5.2 answers a request that "utilizes more than one mechanism for authenticating the client".
 */
export function clientCredentialsOf(authorization: string | null, body: Record<string, unknown>): ClientCredentials | null {
  const { client_id: clientId, client_secret: secret } = body;
  if (authorization === null) return typeof clientId === "string" && typeof secret === "string" ? { clientId, secret } : null;
  const basic = basicCredentials(authorization);
  if (secret !== undefined || (clientId !== undefined && clientId !== basic?.clientId)) {
    throw new ApiError(400, "invalid_request", "Authenticate the client one way: HTTP Basic or client_id and client_secret in the body, not both.");
  }
  return basic;
}

const digest = (value: string) => createHash("sha256").update(value).digest();
// Stands in for the secret of an unknown client, so that a wrong id costs what a wrong secret does.
const NO_SECRET = digest("no client has this secret");

/** The client id, when the credentials match a configured client; 401 invalid_client otherwise. */
export function authenticateClient(credentials: ClientCredentials | null, clients: ReadonlyMap<string, string>): string {
  const expected = credentials ? clients.get(credentials.clientId) : undefined;
  // Digests first: timingSafeEqual wants equal lengths, and a secret's length is not to be learned either.
  const matches = timingSafeEqual(digest(credentials?.secret ?? ""), expected === undefined ? NO_SECRET : digest(expected));
  if (!credentials || expected === undefined || !matches) throw invalidClient();
  return credentials.clientId;
}
