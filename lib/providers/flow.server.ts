import "server-only";
// The authorization code flow with a provider (RFC 9700, OpenID Connect Core 1.0), through openid-client: PKCE
// (S256), state and, for OpenID Connect, nonce, all from the sealed transaction; the ID token verified by the
// library (the signature against the provider's JWKS, iss, aud, exp, iat, nonce, and auth_time when asked for a
// fresh sign-in); `iss` in the authorization response checked (RFC 9207): required where discovery says the provider
// sends it, and refused when present but another issuer's.
import { timingSafeEqual } from "node:crypto";
import * as client from "openid-client";
import { providerSettings, type ProviderId, type ProviderSettings } from "../config/providers";
import { providerCallbackPath } from "../routes";
import { appLink } from "../mail/links";
import { providerConfiguration } from "./clients.server";
import { ProviderError } from "./errors";
import { gitHubIdentity } from "./github.server";
import type { ProviderIdentity } from "./identity";
import { beginTransaction, openTransaction, spendTransaction, type FlowPurpose, type ProviderTransaction } from "./transaction.server";

/** A callback's query longer than this is no provider's answer (a code and a state are a few hundred bytes). */
export const MAX_CALLBACK_QUERY_LENGTH = 4096;

/** The configured provider named by a route's segment, or null (not one we know, or not configured). */
export function configuredProvider(id: unknown): ProviderSettings | null {
  return providerSettings(id);
}

function redirectUri(provider: ProviderId): string {
  return appLink(providerCallbackPath(provider)).href;
}

export interface StartedFlow {
  /** Where to send the browser. */
  authorizationUrl: URL;
  /** The sealed transaction, for the callback path's cookie. */
  sealed: string;
}

/**
 * Begins a flow: the transaction stored and sealed, the authorization request built. `confirm` asks the provider
 * for a fresh sign-in (`prompt=login`, `max_age=0`): a step-up must not ride on a session at the provider from
 * hours ago. Throws ProviderError "unavailable" when the provider's discovery failed.
 */
export async function startFlow(
  settings: ProviderSettings,
  options: { purpose: FlowPurpose; returnTo: string; sessionId: string | null },
  now = new Date(),
): Promise<StartedFlow> {
  const configuration = await providerConfiguration(settings);
  const openIdConnect = settings.kind === "oidc";
  const { transaction, sealed } = await beginTransaction({ provider: settings.id, openIdConnect, ...options }, now);
  const parameters: Record<string, string> = {
    redirect_uri: redirectUri(settings.id),
    response_type: "code",
    // GitHub: the profile and the email addresses (with their verified and primary flags), nothing else.
    scope: openIdConnect ? "openid email profile" : "read:user user:email",
    state: transaction.state,
    code_challenge: await client.calculatePKCECodeChallenge(transaction.codeVerifier),
    code_challenge_method: "S256",
  };
  if (transaction.nonce) parameters.nonce = transaction.nonce;
  if (options.purpose === "confirm" && openIdConnect) Object.assign(parameters, { prompt: "login", max_age: "0" });
  return { authorizationUrl: client.buildAuthorizationUrl(configuration, parameters), sealed };
}

/**
 * The callback's query, before anything is spent: not too long, no parameter twice (a second `state` or `code`
 * must not let one check read one and the exchange another), and a `state` at all.
 */
function checkQuery(url: URL): void {
  if (url.search.length > MAX_CALLBACK_QUERY_LENGTH) throw new ProviderError("malformed", "the callback's query is too long");
  const names = [...url.searchParams.keys()];
  if (new Set(names).size !== names.length) throw new ProviderError("malformed", "a parameter appears twice in the callback's query");
  if (!url.searchParams.get("code") && !url.searchParams.get("error")) throw new ProviderError("malformed", "neither code nor error in the callback");
}

/** The library's codes for a provider that did not answer in time, or answered 5xx with something other than OAuth. */
const UNREACHABLE = new Set(["OAUTH_TIMEOUT", "OAUTH_ABORT", "OAUTH_RESPONSE_IS_NOT_CONFORM"]);

/** The library's refusal, as a page's reason: the network, the provider's own error answer, or a check that failed. */
function classify(error: unknown, provider: ProviderId): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof client.AuthorizationResponseError) {
    const code = error.error;
    return new ProviderError(code === "access_denied" ? "cancelled" : "invalid", `${provider} answered ${code}`, { cause: error });
  }
  if (error instanceof client.ResponseBodyError) {
    // invalid_grant: the code was used already or expired. A 5xx is the provider down.
    if (error.status >= 500) return new ProviderError("unavailable", `${provider}'s token endpoint answered ${error.status}`, { cause: error });
    return new ProviderError(error.error === "invalid_grant" ? "expired" : "invalid", `${provider} refused the code: ${error.error}`, { cause: error });
  }
  // Refused connections are fetch's TypeError; timeouts and aborts the library's own codes.
  const unreachable = error instanceof TypeError || (error instanceof client.ClientError && UNREACHABLE.has(error.code ?? ""));
  if (unreachable) return new ProviderError("unavailable", `${provider} could not be reached`, { cause: error });
  return new ProviderError("invalid", `${provider}'s answer did not verify: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** Compared in constant time: how much of a state matched must not show in how long the refusal took. */
function sameText(a: string | null, b: string): boolean {
  if (a === null) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Finishes a flow at `provider`'s callback (`url` is the callback's full address, `sealed` its cookie): the query
 * checked, the transaction opened and its `state` compared (another browser's, or none: login CSRF), then spent
 * (single use), then the code exchanged and the answer verified. Returns who signed in and what the flow was for;
 * throws ProviderError with the reason.
 */
export async function finishFlow(
  settings: ProviderSettings,
  url: URL,
  sealed: string | undefined,
  now = new Date(),
): Promise<{ identity: ProviderIdentity; transaction: ProviderTransaction }> {
  checkQuery(url);
  const transaction = openTransaction(settings.id, sealed, now);
  // Compared before the row is spent: a forged link with another state must not burn this browser's sign-in.
  if (!sameText(url.searchParams.get("state"), transaction.state)) throw new ProviderError("mismatch", "the callback's state is not this browser's");
  await spendTransaction(transaction, now);
  try {
    const configuration = await providerConfiguration(settings);
    // The query is taken from `url` against the registered redirect URI, never the request's Host.
    const current = new URL(`${providerCallbackPath(settings.id)}${url.search}`, appLink("/"));
    const tokens = await client.authorizationCodeGrant(configuration, current, {
      pkceCodeVerifier: transaction.codeVerifier,
      expectedState: transaction.state,
      ...(transaction.nonce ? { expectedNonce: transaction.nonce } : {}),
      ...(transaction.purpose === "confirm" && settings.kind === "oidc" ? { maxAge: 0 } : {}),
      idTokenExpected: settings.kind === "oidc",
    });
    // The access token is used here, once, and never stored.
    if (settings.kind === "github") {
      return { identity: await gitHubIdentity(settings, configuration.serverMetadata().issuer, tokens.access_token), transaction };
    }
    const claims = tokens.claims();
    if (!claims) throw new ProviderError("invalid", `${settings.id} sent no ID token`);
    let { email, email_verified: verified } = claims;
    // A provider may keep the email out of the ID token and in user info, which is asked for the same subject.
    const userInfoEndpoint = configuration.serverMetadata().userinfo_endpoint;
    if (typeof email !== "string" && userInfoEndpoint) {
      const info = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      ({ email, email_verified: verified } = info);
    }
    return {
      identity: {
        provider: settings.id,
        issuer: claims.iss,
        subject: claims.sub,
        email: typeof email === "string" ? email : null,
        emailVerified: verified === true,
      },
      transaction,
    };
  } catch (error) {
    throw classify(error, settings.id);
  }
}
