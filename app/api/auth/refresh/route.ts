import { handle, json, readJsonObject, refusedMethods, requiredString } from "@/lib/http/json-api.server";
import { audienceFor, refreshTokens } from "@/lib/sessions/bearer.server";

export async function POST(request: Request): Promise<Response> {
  return handle(async () => {
    const body = await readJsonObject(request);
    // The audience is checked before the refresh token is spent: a mistaken `resource` costs the client nothing.
    const audience = audienceFor(body.resource);
    return json(await refreshTokens(requiredString(body, "refresh_token"), audience));
  });
}

export const { GET, PUT, PATCH, DELETE } = refusedMethods("POST");
