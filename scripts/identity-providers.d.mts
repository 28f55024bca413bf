// Types for scripts/identity-providers.mjs, which stays plain JavaScript so that scripts/e2e.mjs can import it.
import type { GitHubStub } from "./github-stub.mjs";
import type { RogueProvider } from "./oidc-rogue-provider.mjs";
import type { OidcTestProvider } from "./oidc-test-provider.mjs";

export const OIDC_NAME: string;

export interface IdentityProviders {
  /** What the app reads. */
  appEnv: Record<
    | "OIDC_ISSUER" | "OIDC_CLIENT_ID" | "OIDC_CLIENT_SECRET" | "OIDC_NAME"
    | "GOOGLE_ISSUER" | "GOOGLE_CLIENT_ID" | "GOOGLE_CLIENT_SECRET"
    | "GITHUB_URL" | "GITHUB_API_URL" | "GITHUB_CLIENT_ID" | "GITHUB_CLIENT_SECRET",
    string
  >;
  /** E2E_OIDC_PROVIDER_URL, E2E_ROGUE_PROVIDER_URL, E2E_GITHUB_URL. */
  testEnv: Record<"E2E_OIDC_PROVIDER_URL" | "E2E_ROGUE_PROVIDER_URL" | "E2E_GITHUB_URL", string>;
  providers: { oidc: OidcTestProvider; rogue: RogueProvider; github: GitHubStub };
  stop(): Promise<void>;
}

export function startIdentityProviders(options: { appUrl: string }): Promise<IdentityProviders>;
