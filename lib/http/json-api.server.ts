import "server-only";
// JSON in and out for the API's route handlers: OAuth-style errors ({"error","error_description"}), and a body
// reader that refuses the wrong content type (415), an oversized body (413) and malformed JSON (400) before any
// of it reaches the handler.

import { isDatabaseError } from "../db/db.server";
import { isFromAnotherSite } from "./csrf-guard";
import { TesseraError } from "../errors";
import { PasswordHasherBusyError } from "../passwords/hashing.server";

export const MAX_JSON_BODY_BYTES = 16 * 1024;

/** An API refusal: its code is the OAuth `error` the JSON answer carries ("invalid_grant", "mfa_required", …). */
export class ApiError extends TesseraError {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(error, description);
  }
}

/** Every API answer: JSON, never cached (it carries tokens or identities). */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", Pragma: "no-cache", ...headers } });
}

export function errorResponse(error: ApiError): Response {
  return json({ error: error.error, error_description: error.description }, error.status, error.headers);
}

/**
 * Runs a handler, turning an ApiError into its answer; a database that failed or a password hasher with a full
 * queue into a 503 with Retry-After (worth retrying); and anything else, a bug of ours, into a 500. Never details.
 */
export async function handle(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApiError) return errorResponse(error);
    if (error instanceof PasswordHasherBusyError) {
      return errorResponse(new ApiError(503, "temporarily_unavailable", error.message, { "Retry-After": String(error.retryAfterSeconds) }));
    }
    console.error("API request failed", error);
    if (isDatabaseError(error)) {
      return errorResponse(new ApiError(503, "temporarily_unavailable", "The service is unavailable; try again.", { "Retry-After": "5" }));
    }
    return errorResponse(new ApiError(500, "server_error", "The request failed on our side."));
  }
}

/** The methods a route handler may export that Next.js does not answer itself (HEAD follows GET, OPTIONS is its own). */
const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type RouteMethod = (typeof ROUTE_METHODS)[number];
type Handler = () => Response;

/**
 * Handlers for the methods an API route does not take, to export beside its own: Next.js would answer them with
 * an empty 405, where API clients get JSON like every other error. The type names exactly the methods left over,
 * so a route cannot both take a method and refuse it:
 *   export const { GET, PUT, PATCH, DELETE } = refusedMethods("POST");
 */
export function refusedMethods<Taken extends RouteMethod>(...taken: Taken[]): Record<Exclude<RouteMethod, Taken>, Handler> {
  const allow = [...taken, ...(taken.includes("GET" as Taken) ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const refuse = () =>
    errorResponse(new ApiError(405, "invalid_request", `This endpoint takes ${taken.join(" or ")} only.`, { Allow: allow }));
  const others = ROUTE_METHODS.filter((method) => !(taken as RouteMethod[]).includes(method));
  return Object.fromEntries(others.map((method) => [method, refuse])) as Record<Exclude<RouteMethod, Taken>, Handler>;
}

/** Every method of a path no API route serves: a JSON 404, not the HTML page. */
export function noSuchEndpoint(): Record<RouteMethod | "OPTIONS", Handler> {
  const answer = () => errorResponse(new ApiError(404, "not_found", "There is no such API endpoint."));
  return Object.fromEntries([...ROUTE_METHODS, "OPTIONS"].map((method) => [method, answer])) as Record<RouteMethod | "OPTIONS", Handler>;
}

/** Reads the body as a JSON object, at most MAX_JSON_BODY_BYTES, counting bytes as they arrive. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  if (contentTypeOf(request) !== "application/json") {
    throw new ApiError(415, "invalid_request", "Send the body as application/json.");
  }
  return parseJsonObject(await readCappedBody(request));
}

/**
 * Reads a form-encoded body (what OAuth endpoints such as RFC 7662 introspection are specified with) or a JSON
 * one, as an object of its members; the same size limit. A form member given twice is refused (RFC 6749 3.2).
 * A form posted by a page of another site is refused (403): unlike JSON, it needs no preflight, so any page could
 * make its visitors' browsers send passwords here, and lock their address out of signing in.
 */
export async function readFormOrJsonObject(request: Request): Promise<Record<string, unknown>> {
  const type = contentTypeOf(request);
  if (type === "application/json") return parseJsonObject(await readCappedBody(request));
  if (type !== "application/x-www-form-urlencoded") {
    throw new ApiError(415, "invalid_request", "Send the body as application/x-www-form-urlencoded or application/json.");
  }
  if (isFromAnotherSite(request)) throw new ApiError(403, "invalid_request", "This endpoint takes no form posts from other sites' pages.");
  const form = new URLSearchParams(await readCappedBody(request));
  const names = [...form.keys()];
  if (new Set(names).size !== names.length) throw new ApiError(400, "invalid_request", "A parameter is given more than once.");
  return Object.fromEntries(form);
}

function contentTypeOf(request: Request): string | undefined {
  return request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
}

async function readCappedBody(request: Request): Promise<string> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > MAX_JSON_BODY_BYTES) throw tooLarge();
  return readCapped(request);
}

function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_request", "The body is not valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ApiError(400, "invalid_request", "The body must be a JSON object.");
  }
  return value as Record<string, unknown>;
}

function tooLarge(): ApiError {
  return new ApiError(413, "invalid_request", `The body may be at most ${MAX_JSON_BODY_BYTES / 1024} KB.`);
}

async function readCapped(request: Request): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_JSON_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(400, "invalid_request", "The body is not valid UTF-8.");
  }
}

/** A string member of a JSON body, or a 400 naming it. */
export function requiredString(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== "string" || value === "") {
    throw new ApiError(400, "invalid_request", `"${name}" is required and must be a string.`);
  }
  return value;
}
