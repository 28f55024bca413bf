import { ApiError, handle, json, readFormOrJsonObject, refusedMethods, requiredString } from "@/lib/http/json-api.server";
import { audienceFor, refreshTokens } from "@/lib/sessions/bearer.server";
import { issueTokens } from "@/lib/sign-in/password-grant.server";
import { clientInfoFrom } from "@/lib/http/client-info";

/**
 * The app's own JSON (`{"email","password"}`), or RFC 6749's token request, form-encoded as standard OAuth clients
 * send it (or as JSON): `grant_type=password` with `username`, or `grant_type=refresh_token`, as the metadata says.
 */
export async function POST(request: Request): Promise<Response> {
  return handle(async () => {
    const body = await readFormOrJsonObject(request);
    // Checked before anything is spent or hashed: a mistaken `resource` costs the client nothing.
    const audience = audienceFor(body.resource);
    switch (body.grant_type) {
      case undefined:
      case "password":
        // A code from the authenticator app, for accounts that have one; a string when present.
        if (body.otp !== undefined && typeof body.otp !== "string") {
          throw new ApiError(400, "invalid_request", "\"otp\" must be a string.");
        }
        return json(
          await issueTokens({
            email: requiredString(body, body.grant_type === undefined ? "email" : "username"),
            password: requiredString(body, "password"),
            client: clientInfoFrom(request.headers),
            audience,
            otp: body.otp,
          }),
        );
      case "refresh_token":
        return json(await refreshTokens(requiredString(body, "refresh_token"), audience));
      default:
        throw new ApiError(400, "unsupported_grant_type", "\"grant_type\" is password or refresh_token.");
    }
  });
}

export const { GET, PUT, PATCH, DELETE } = refusedMethods("POST");
