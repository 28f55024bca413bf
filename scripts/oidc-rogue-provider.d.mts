// Types for scripts/oidc-rogue-provider.mjs, which stays plain JavaScript so that scripts/e2e.mjs can import it.
import type { TestClient } from "./oidc-test-provider.mjs";

export interface RogueUser {
  sub: string;
  email: string;
  emailVerified: boolean;
  name?: string;
}

/** What the provider answers from now on (`POST /__test/next`, control()), or for one authorization request (`test_next`). */
export interface RogueNext {
  /** Who the authorization endpoint signs in: DEFAULT_USER where not given. */
  user?: Partial<RogueUser>;
  /** How the ID token is spoilt: unsigned, signed with a key not in the JWKS (same kid), wrong aud or iss, long expired, another nonce, none. */
  idToken?: "alg-none" | "other-key" | "other-aud" | "other-iss" | "expired" | "nonce-mismatch" | "no-nonce";
  /** The ID token's auth_time: the authorization request's time, or (`stale`) an hour before it, ignoring max_age. */
  authTime?: "stale";
  /** The redirect back: without `iss`, with another issuer's, or an error (`error:access_denied`) instead of a code. */
  authorizationResponse?: "no-iss" | "other-iss" | `error:${string}`;
  /** The token endpoint answers this status (with `{"error":"server_error"}`) instead of tokens. */
  tokenStatus?: number;
  /** The token endpoint answers this much later. */
  delayMs?: number;
}

export interface RogueProvider {
  /** http://localhost:PORT, for GOOGLE_ISSUER or OIDC_ISSUER. */
  issuer: string;
  /** The same address: `POST <url>/__test/next` and `/__test/reset` from another process. */
  url: string;
  /** Merged into what holds: applies to every authorization request from now on. */
  control(next: RogueNext): void;
  /** Honest again. */
  reset(): void;
  stop(): Promise<void>;
}

export const DEFAULT_USER: RogueUser;
export function startRogueProvider(options: { port?: number; clients: TestClient[] }): Promise<RogueProvider>;
