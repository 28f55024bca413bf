import { after } from "next/server";
import { clientAddress } from "@/lib/http/client-info";
import { ApiError, handle, json, readJsonObject, refusedMethods, requiredString } from "@/lib/http/json-api.server";
import { requestPasswordReset } from "@/lib/recovery/password-reset.server";
import { checkEmail } from "@/lib/users/credentials";

/** 202 `{}` whatever the email (known, unknown, or over the mail limit): the answer tells nothing about accounts. */
export async function POST(request: Request): Promise<Response> {
  return handle(async () => {
    const email = checkEmail(requiredString(await readJsonObject(request), "email"));
    if (!email.ok) throw new ApiError(400, "invalid_request", email.error);
    await requestPasswordReset(email.value, clientAddress(request.headers), after);
    return json({}, 202);
  });
}

export const { GET, PUT, PATCH, DELETE } = refusedMethods("POST");
