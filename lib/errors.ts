// One base for every error Tessera throws on purpose, after jose's JOSEError: `code` says which failure it is,
// stably, for callers, logs and tests; the class says which concern (tokens, refresh tokens, passkeys, …). A class
// with one failure carries its code as a static too (`EmailTakenError.code`). The message is for developers and
// logs, never shown to a person: what a person reads is in the feature's messages.ts.
// Edge-safe: middleware's imports reach it through lib/config/ and lib/tokens/jwt.ts.

export class TesseraError<Code extends string = string> extends Error {
  override name = "TesseraError";
  readonly code: Code;
  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

