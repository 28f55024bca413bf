// Types for scripts/github-stub.mjs, which stays plain JavaScript so that scripts/e2e.mjs can import it.
import type { TestClient } from "./oidc-test-provider.mjs";

export interface GitHubEmail {
  email: string;
  primary?: boolean;
  /** Yes by default. */
  verified?: boolean;
  /** "public" makes it GET /user's `email`; by default a primary is "private" (so /user says null), others null. */
  visibility?: "public" | "private" | null;
}

export interface GitHubTestUser {
  login: string;
  password: string;
  /** The numeric account id; a fresh one by default, kept when the same login is added again. */
  id?: number;
  name?: string;
  emails: GitHubEmail[];
}

export interface GitHubStub {
  /** The web base (http://localhost:PORT), for GITHUB_URL; `POST <url>/__test/users` adds a user from another process. */
  url: string;
  /** The REST API base (<url>/api/v3), for GITHUB_API_URL. */
  apiUrl: string;
  addUser(user: GitHubTestUser): GitHubTestUser & { id: number; emails: Required<GitHubEmail>[] };
  stop(): Promise<void>;
}

export function startGitHubStub(options: { port?: number; clients: TestClient[] }): Promise<GitHubStub>;
