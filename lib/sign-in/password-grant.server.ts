import "server-only";
// POST /api/auth/token's password grant: the sign-in's answer as the API says it (a token pair, or 401/429 JSON).
import { verifyTotpCode } from "../factors/totp.server";
import { ApiError } from "../http/json-api.server";
import { logEvent } from "../log.server";
import { openApiSession, type TokenPair } from "../sessions/bearer.server";
import { PasswordChangedError, type ClientInfo } from "../sessions/store.server";
import { checkEmail } from "../users/credentials";
import { SIGN_IN_MESSAGES, throttledMessage } from "./messages";
import { signIn } from "./sign-in.server";

const INVALID_CREDENTIALS = SIGN_IN_MESSAGES.invalidCredentials;

function throttled(retryAfterSeconds: number): ApiError {
  return new ApiError(429, "too_many_attempts", throttledMessage(retryAfterSeconds), { "Retry-After": String(retryAfterSeconds) });
}

/**
 * POST /api/auth/token: email and password for a new API session. Unknown email and wrong password answer
 * alike; so do a throttled real account and a throttled unknown email (429 with Retry-After). An account with an
 * authenticator app also needs `otp`, a current code: without it 401 mfa_required; a wrong, replayed or malformed
 * one is refused like a wrong password, and counted against the account's code limits.
 */
export async function issueTokens({
  email: rawEmail,
  password,
  client,
  audience,
  otp,
}: {
  email: string;
  password: string;
  client: ClientInfo & { address: string | null };
  /** The resource server the access token is for (RFC 8707); the app's own audience when absent. */
  audience?: string;
  /** The authenticator app's current code, for an account that has one. */
  otp?: string;
}): Promise<TokenPair> {
  const email = checkEmail(rawEmail);
  if (!email.ok) throw new ApiError(401, "invalid_grant", INVALID_CREDENTIALS);
  const answer = await signIn({ factor: { kind: "password", email: email.value, password }, address: client.address, userAgent: client.userAgent });
  if (answer.outcome === "refused" && answer.reason === "throttled") throw throttled(answer.retryAfterSeconds);
  if (answer.outcome === "refused") throw new ApiError(401, "invalid_grant", INVALID_CREDENTIALS);
  let method = answer.method;
  if (answer.outcome === "second-factor") {
    if (otp === undefined) {
      throw new ApiError(401, "mfa_required", "This account has an authenticator app: send its current code as \"otp\".");
    }
    const outcome = await verifyTotpCode(answer.user.id, otp);
    if (!outcome.ok && outcome.reason === "throttled") throw throttled(outcome.retryAfterSeconds);
    if (!outcome.ok) throw new ApiError(401, "invalid_grant", INVALID_CREDENTIALS);
    method = "password+otp";
  }
  const { sessionId: _sessionId, ...pair } = await openApiSession(answer.user, client, audience, method).catch((error: unknown) => {
    // The password was changed or reset while this sign-in was checking it: it is not the password any more.
    if (error instanceof PasswordChangedError) throw new ApiError(401, "invalid_grant", INVALID_CREDENTIALS);
    throw error;
  });
  logEvent("token.issued", { userId: answer.user.id, address: client.address });
  return pair;
}
