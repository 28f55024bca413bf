import "server-only";
// GitHub is OAuth 2.0, not OpenID Connect: who signed in is asked of its REST API with the access token, which is
// then forgotten. The identity is GitHub's numeric user id (a login can be renamed and reused); the email is the
// account's primary one, and only when GitHub says it is verified: GitHub lets anyone add any address unverified,
// and a non-primary verified one says only that the person once read mail there.
import { providersConfig, type GitHubProviderSettings } from "../config/providers";
import { ProviderError } from "./errors";
import type { ProviderIdentity } from "./identity";

/** Larger answers than any real /user or /user/emails are refused rather than parsed. */
const MAX_BODY_BYTES = 256 * 1024;

async function apiGet(settings: GitHubProviderSettings, path: string, accessToken: string): Promise<unknown> {
  const url = new URL(path.slice(1), settings.apiUrl.href.endsWith("/") ? settings.apiUrl : `${settings.apiUrl.href}/`);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${accessToken}`,
        "x-github-api-version": "2022-11-28",
        // GitHub refuses API requests without one.
        "user-agent": "Tessera",
      },
      redirect: "error",
      signal: AbortSignal.timeout(providersConfig().timeoutSeconds * 1000),
    });
  } catch (error) {
    throw new ProviderError("unavailable", `GitHub API ${path} could not be reached`, { cause: error });
  }
  if (response.status >= 500) throw new ProviderError("unavailable", `GitHub API ${path} answered ${response.status}`);
  if (!response.ok) throw new ProviderError("invalid", `GitHub API ${path} answered ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_BODY_BYTES) throw new ProviderError("invalid", `GitHub API ${path} answered too much`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ProviderError("invalid", `GitHub API ${path} answered something other than JSON`, { cause: error });
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Who this token is for: GET /user (the id) and GET /user/emails (the verified primary address). */
export async function gitHubIdentity(settings: GitHubProviderSettings, issuer: string, accessToken: string): Promise<ProviderIdentity> {
  const [user, emails] = await Promise.all([apiGet(settings, "/user", accessToken), apiGet(settings, "/user/emails", accessToken)]);
  if (!isRecord(user) || !Number.isSafeInteger(user.id) || (user.id as number) <= 0) {
    throw new ProviderError("invalid", "GitHub's /user has no numeric id");
  }
  if (!Array.isArray(emails)) throw new ProviderError("invalid", "GitHub's /user/emails is not a list");
  const primary = emails.find((entry) => isRecord(entry) && entry.primary === true && typeof entry.email === "string");
  return {
    provider: "github",
    issuer,
    subject: String(user.id),
    email: primary ? String(primary.email) : null,
    emailVerified: primary?.verified === true,
  };
}
