// Types for scripts/oidc-test-provider.mjs, which stays plain JavaScript so that scripts/e2e.mjs can import it.
export interface TestClient {
  client_id: string;
  client_secret: string;
  /** Exact URIs; the same URI on localhost with another port is accepted too (test servers of the stories). */
  redirect_uris: string[];
}

export interface TestUser {
  email: string;
  password: string;
  /** The email_verified claim. Yes by default. */
  emailVerified?: boolean;
  name?: string;
  /** The subject; random by default, and kept when the same email is added again. */
  sub?: string;
}

/** A user as the provider keeps it. */
export type StoredUser = TestUser & { emailVerified: boolean; sub: string };

export interface OidcTestProvider {
  /** http://localhost:PORT, for OIDC_ISSUER. */
  issuer: string;
  /** The same address: `POST <url>/__test/users` adds a user from another process. */
  url: string;
  addUser(user: TestUser): StoredUser;
  stop(): Promise<void>;
}

export const DEFAULT_NAME: string;
export const DEV_CLIENT: { client_id: string; client_secret: string };
export const DEV_USER: Omit<Required<TestUser>, "sub">;

export function startOidcTestProvider(options: { port?: number; clients: TestClient[]; name?: string }): Promise<OidcTestProvider>;

export function startDevProvider(options?: { appUrl?: string; port?: number }): Promise<{
  provider: OidcTestProvider;
  /** OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_NAME for the app. */
  env: Record<"OIDC_ISSUER" | "OIDC_CLIENT_ID" | "OIDC_CLIENT_SECRET" | "OIDC_NAME", string>;
  user: StoredUser;
}>;
