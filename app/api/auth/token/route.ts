import { ApiError, handle, json, readJsonObject, refusedMethods, requiredString } from "@/lib/http/json-api.server";
import { audienceFor } from "@/lib/sessions/bearer.server";
import { issueTokens } from "@/lib/sign-in/password-grant.server";
import { clientInfoFrom } from "@/lib/http/client-info";

export async function POST(request: Request): Promise<Response> {
  return handle(async () => {
    const body = await readJsonObject(request);
    // A code from the authenticator app, for accounts that have one; a string when present.
    if (body.otp !== undefined && typeof body.otp !== "string") {
      throw new ApiError(400, "invalid_request", "\"otp\" must be a string.");
    }
    const pair = await issueTokens({
      email: requiredString(body, "email"),
      password: requiredString(body, "password"),
      client: clientInfoFrom(request.headers),
      audience: audienceFor(body.resource),
      otp: body.otp,
    });
    return json(pair);
  });
}

export const { GET, PUT, PATCH, DELETE } = refusedMethods("POST");
