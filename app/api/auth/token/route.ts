import { handle, json, readJsonObject, requiredString } from "@/lib/api/http";
import { issueTokens } from "@/lib/api-tokens.server";
import { clientInfoFrom } from "@/lib/client-info";

export async function POST(request: Request): Promise<Response> {
  return handle(async () => {
    const body = await readJsonObject(request);
    const pair = await issueTokens(
      requiredString(body, "email"),
      requiredString(body, "password"),
      clientInfoFrom(request.headers),
    );
    return json(pair);
  });
}
