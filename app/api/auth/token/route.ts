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
    if (body.grant_type === undefined) return json(await passwordGrant(request, body, "email"));
    try {
      return json(await standardGrant(request, body));
    } catch (error) {
      // RFC 6749 5.2: a refused grant is a 400 (401 is for a client that failed to authenticate); the app's own
      // JSON keeps the 401 its clients know.
      if (error instanceof ApiError && REFUSED_GRANT.has(error.error)) throw new ApiError(400, error.error, error.description, error.headers);
      throw error;
    }
  });
}

/** The app's 401s that are a refused grant, not a client that failed to authenticate. */
const REFUSED_GRANT = new Set(["invalid_grant", "mfa_required"]);

function standardGrant(request: Request, body: Record<string, unknown>) {
  switch (body.grant_type) {
    case "password":
      // The email as RFC 6749 names it; a client of the app's JSON that adds grant_type may keep "email".
      return passwordGrant(request, body, body.username === undefined && body.email !== undefined ? "email" : "username");
    case "refresh_token":
      // The audience is checked before the refresh token is spent: a mistaken `resource` costs the client nothing.
      return refreshTokens(requiredString(body, "refresh_token"), audienceFor(body.resource));
    default:
      throw new ApiError(400, "unsupported_grant_type", "\"grant_type\" is password or refresh_token.");
  }
}

function passwordGrant(request: Request, body: Record<string, unknown>, emailField: "email" | "username") {
  const audience = audienceFor(body.resource);
  // A code from the authenticator app, for accounts that have one; a string when present.
  if (body.otp !== undefined && typeof body.otp !== "string") {
    throw new ApiError(400, "invalid_request", "\"otp\" must be a string.");
  }
  return issueTokens({
    email: requiredString(body, emailField),
    password: requiredString(body, "password"),
    client: clientInfoFrom(request.headers),
    audience,
    otp: body.otp,
  });
}

export const { GET, PUT, PATCH, DELETE } = refusedMethods("POST");
