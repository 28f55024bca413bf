import { handle, json, readJsonObject, requiredString } from "@/lib/http/json-api";
import { audienceFor, issueTokens } from "@/lib/sessions/bearer.server";
import { clientInfoFrom } from "@/lib/http/client-info";

export async function POST(request: Request): Promise<Response> {
  return handle(async () => {
    const body = await readJsonObject(request);
    const pair = await issueTokens(
      requiredString(body, "email"),
      requiredString(body, "password"),
      clientInfoFrom(request.headers),
      audienceFor(body.resource),
    );
    return json(pair);
  });
}
