import { handle, json, readJsonObject, refusedMethods, requiredString } from "@/lib/http/json-api.server";
import { revokeToken } from "@/lib/sessions/bearer.server";

/** RFC 7009: 200 whether or not the token was alive, so the answer tells nothing about it. */
export async function POST(request: Request): Promise<Response> {
  return handle(async () => {
    const body = await readJsonObject(request);
    await revokeToken(requiredString(body, "token"));
    return json({});
  });
}

export const { GET, PUT, PATCH, DELETE } = refusedMethods("POST");
