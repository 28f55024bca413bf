// Types for scripts/pwned-passwords-stub.mjs, which stays plain JavaScript so that scripts/e2e.mjs and the bench
// can import it.
export interface StubRequest {
  method: string | undefined;
  path: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

export type StubBehaviour = "ok" | "error" | "garbage" | "huge" | "slow" | "held";

export interface PwnedPasswordsStub {
  port: number;
  /** http://127.0.0.1:PORT/range, for PWNED_PASSWORDS_URL. */
  url: string;
  /** Every request received, in order. */
  requests: StubRequest[];
  behave(kind: StubBehaviour, options?: { delayMs?: number }): void;
  /** Answers every request "held" kept waiting, and answers at once from now on. */
  release(): void;
  stop(): Promise<void>;
}

export const BREACHED_PASSWORDS: Record<string, number>;
export const PADDED_PASSWORDS: string[];
export function sha1Hex(password: string): string;
export function startPwnedPasswordsStub(options?: {
  port?: number;
  corpus?: Record<string, number>;
  padded?: string[];
}): Promise<PwnedPasswordsStub>;
