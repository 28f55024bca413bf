import { handle, json, readJsonObject, requiredString } from "@/lib/api/http";
import { refreshTokens } from "@/lib/api-tokens.server";

export async function POST(request: Request): Promise<Response> {
  return handle(async () => {
    const body = await readJsonObject(request);
    return json(await refreshTokens(requiredString(body, "refresh_token")));
  });
}
