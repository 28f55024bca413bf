import { handle } from "@/lib/http/json-api.server";
import { publishedJwks } from "@/lib/keys/jwks.server";
import { JWKS_CONTENT_TYPE, publicJson } from "@/lib/http/public-json";

export const dynamic = "force-dynamic";

/** The public keys access tokens are verified with (RFC 7517): never a private or an HMAC key. */
export async function GET(): Promise<Response> {
  return handle(async () => publicJson(await publishedJwks(), JWKS_CONTENT_TYPE));
}
