// Every way a passkey ceremony can fail, as one typed error: the actions show its message and nothing else (no
// library text, no stack), and the log keeps the reason.
import { TesseraError } from "../errors";
import { PASSKEY_FAILURE_MESSAGES, PASSKEY_MESSAGES } from "./messages";

export type PasskeyFailure =
  /** The challenge is unknown, already spent, expired, or was made for another purpose or person. */
  | "challenge"
  /** The response is not the shape of a WebAuthn response, or its signature or data do not verify. */
  | "not-verified"
  /** No passkey has this credential id (removed, or never registered here). */
  | "unknown-credential"
  /** The credential belongs to someone else than the one it was presented for (step-up, user handle). */
  | "wrong-account"
  /** Registration: this credential id is already registered (to this account or another). */
  | "already-registered"
  /** Registration: the account has as many passkeys as it may. */
  | "too-many"
  /** Step-up: the person has no passkey to confirm with. */
  | "no-passkey";

export type PasskeyCeremony = "registration" | "sign-in" | "step-up";

/** A failed passkey ceremony: its code is the failure, also read as `reason`. */
export class PasskeyError extends TesseraError<PasskeyFailure> {
  override name = "PasskeyError";
  constructor(
    readonly reason: PasskeyFailure,
    readonly ceremony: PasskeyCeremony,
    options?: { cause?: unknown },
  ) {
    super(reason, `passkey ${ceremony} failed: ${reason}`, options);
  }

  /** What the person reads: one clear sentence, never the library's words. */
  get userMessage(): string {
    // Which account a credential belongs to, and whether it exists at all, is nobody's business at sign-in.
    if (this.ceremony === "sign-in" && this.reason !== "challenge") return PASSKEY_MESSAGES["sign-in"];
    return PASSKEY_FAILURE_MESSAGES[this.reason] ?? PASSKEY_MESSAGES[this.ceremony];
  }
}
