import { accessTokenConfig } from "@/lib/config";
import { authenticateClient, clientCredentialsOf } from "@/lib/http/client-credentials.server";
import { handle, json, readFormOrJsonObject, refusedMethods, requiredString } from "@/lib/http/json-api.server";
import { introspect } from "@/lib/sessions/introspection.server";

/** RFC 7662: a resource server, authenticated with its own credentials, asks whether a token is alive now. */
export async function POST(request: Request): Promise<Response> {
  return handle(async () => {
    const body = await readFormOrJsonObject(request);
    const credentials = clientCredentialsOf(request.headers.get("authorization"), body);
    const resourceServer = authenticateClient(credentials, accessTokenConfig().introspectionClients);
    return json(await introspect(requiredString(body, "token"), resourceServer));
  });
}

export const { GET, PUT, PATCH, DELETE } = refusedMethods("POST");
