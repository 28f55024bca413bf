import { handle, json, readJsonObject, requiredString } from "@/lib/http/json-api";
import { refreshTokens } from "@/lib/sessions/bearer.server";

export async function POST(request: Request): Promise<Response> {
  return handle(async () => {
    const body = await readJsonObject(request);
    return json(await refreshTokens(requiredString(body, "refresh_token")));
  });
}
