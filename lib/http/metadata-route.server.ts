import "server-only";
// The handler behind both metadata addresses (RFC 8414's and OpenID Connect discovery's).
import { sessionConfig } from "../config";
import { authorizationServerMetadata } from "./authorization-server-metadata";
import { handle } from "./json-api.server";
import { publicJson } from "./public-json";

export function metadataResponse(request: Request): Promise<Response> {
  return handle(async () => publicJson(authorizationServerMetadata(sessionConfig().issuer, new URL(request.url).origin)));
}
