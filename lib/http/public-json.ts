// Answers every verifier may cache for one JWKS cache period: the JWKS and the metadata pointing at it. A key is
// published that long before it signs (lib/keys/keyring.server.ts), so a cached copy is never missing it.
import { accessTokenConfig } from "../config";

export const JWKS_CONTENT_TYPE = "application/jwk-set+json";

export function publicJson(body: unknown, contentType = "application/json"): Response {
  return new Response(JSON.stringify(body), {
    headers: { "Content-Type": contentType, "Cache-Control": `public, max-age=${accessTokenConfig().jwksCacheSeconds}` },
  });
}
