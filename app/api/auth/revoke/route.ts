import { handle, json, readFormOrJsonObject, refusedMethods, requiredString } from "@/lib/http/json-api.server";
import { revokeToken } from "@/lib/sessions/bearer.server";

/**
 * RFC 7009: 200 whether or not the token was alive, so the answer tells nothing about it. Form-encoded as the RFC
 * sends it, or JSON; `token_type_hint` is not needed: either kind of token is recognised by its shape.
 */
export async function POST(request: Request): Promise<Response> {
  return handle(async () => {
    const body = await readFormOrJsonObject(request);
    await revokeToken(requiredString(body, "token"));
    return json({});
  });
}

export const { GET, PUT, PATCH, DELETE } = refusedMethods("POST");
