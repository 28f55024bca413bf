// Why a provider sign-in stopped, for the callback to turn into a page. The codes are stable (tests and logs read
// them); the message is for developers; what a person reads is in messages.ts.
import { TesseraError } from "../errors";

export type ProviderFailure =
  /** The callback's query is too long, repeats a parameter, or lacks what every answer has. */
  | "malformed"
  /** No transaction cookie, a cookie that does not open, or one already spent or past its time: try again. */
  | "expired"
  /** The answer's `state` is not this browser's (login CSRF), or the transaction names another provider (mix-up). */
  | "mismatch"
  /** The person said no at the provider (access_denied) or went back. */
  | "cancelled"
  /** The provider refused the code, or its ID token or answer did not verify (signature, iss, aud, exp, nonce). */
  | "invalid"
  /** The provider could not be reached, timed out, or answered 5xx. */
  | "unavailable";

export class ProviderError extends TesseraError<ProviderFailure> {
  override name = "ProviderError";
  constructor(code: ProviderFailure, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
