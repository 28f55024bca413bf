/**
 * The variables by which a server has sign-in providers (lib/config/providers.ts: one per id and secret, and the
 * generic provider's issuer). With all of them unset it has none; the suites start theirs with all of them set.
 */
export const PROVIDER_VARIABLES = [
  "OIDC_ISSUER",
  "OIDC_CLIENT_ID",
  "OIDC_CLIENT_SECRET",
  "GOOGLE_CLIENT_ID",
  "GOOGLE_CLIENT_SECRET",
  "GITHUB_CLIENT_ID",
  "GITHUB_CLIENT_SECRET",
] as const;
