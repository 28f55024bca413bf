// How a session was made, in one place: the value on its row, the `amr` claim its tokens carry (RFC 8176), and the
// words /account/sessions shows. Pure, so the edge can tell a one-factor session from a two-factor one.

/** RFC 8176 Authentication Method Reference values this app issues. */
export const AMR_VALUES = ["pwd", "otp", "hwk", "swk", "mfa"] as const;
export type Amr = (typeof AMR_VALUES)[number];

export const SIGN_IN_METHODS = {
  password: { amr: ["pwd"], label: "Password" },
  "password+otp": { amr: ["pwd", "otp", "mfa"], label: "Password and authenticator app" },
  // A recovery code is a one-time password from a printed list (NIST's "look-up secret").
  "password+recovery-code": { amr: ["pwd", "otp", "mfa"], label: "Password and recovery code" },
  // A passkey is something you have, unlocked by something you know or are (user verification): two factors.
  passkey: { amr: ["hwk", "mfa"], label: "Passkey" },
  "passkey-synced": { amr: ["swk", "mfa"], label: "Passkey (synced)" },
} as const satisfies Record<string, { amr: readonly Amr[]; label: string }>;

export type SignInMethod = keyof typeof SIGN_IN_METHODS;

export function isSignInMethod(value: unknown): value is SignInMethod {
  return typeof value === "string" && Object.hasOwn(SIGN_IN_METHODS, value);
}

/** The method on a session row; a value this version does not know reads as the weakest, a password. */
export function toSignInMethod(value: string): SignInMethod {
  return isSignInMethod(value) ? value : "password";
}

export function amrOf(method: SignInMethod): readonly Amr[] {
  return SIGN_IN_METHODS[method].amr;
}

/** "Password and authenticator app": how /account/sessions says it. */
export function describeSignInMethod(method: SignInMethod): string {
  return SIGN_IN_METHODS[method].label;
}

/** Did this sign-in take two factors? */
export function isMultiFactor(amr: readonly Amr[]): boolean {
  return amr.includes("mfa");
}

const KNOWN_AMR = new Set<unknown>(AMR_VALUES);

/**
 * A token's `amr` claim, checked: a non-empty array of known values, each once. A token from before the claim
 * existed carries none and reads as a password sign-in, the weakest; anything else malformed is refused (null).
 */
export function parseAmr(claim: unknown): readonly Amr[] | null {
  if (claim === undefined) return SIGN_IN_METHODS.password.amr;
  if (!Array.isArray(claim) || claim.length === 0 || claim.length > AMR_VALUES.length) return null;
  if (!claim.every((value) => KNOWN_AMR.has(value)) || new Set(claim).size !== claim.length) return null;
  return claim as Amr[];
}

/** What a person can confirm who they are with, in a session already signed in (step-up). */
export type Proof = "password" | "otp" | "recovery-code" | "passkey" | "passkey-synced";

/**
 * A session's method after a confirmation: a second factor on a password session makes it a two-factor one; a
 * password, or a factor on a session that already had two, never changes it (never weakens it).
 */
export function methodAfterConfirmation(current: SignInMethod, proof: Proof): SignInMethod {
  if (current !== "password" || proof === "password") return current;
  if (proof === "otp") return "password+otp";
  if (proof === "recovery-code") return "password+recovery-code";
  return proof;
}
