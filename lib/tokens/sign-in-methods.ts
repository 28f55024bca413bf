// How a session was made, in one place: the value on its row, the `amr` claim its tokens carry (RFC 8176), and the
// words /account/sessions shows. Pure, so the edge can tell a one-factor session from a two-factor one.
import { isProviderId, PROVIDER_IDS, providerName, type ProviderId } from "../config/providers";

/**
 * RFC 8176 Authentication Method Reference values this app issues, and `fed`: a sign-in at another provider (an
 * OpenID Connect provider, GitHub). RFC 8176 registers none for that; Tessera counts it as one factor whatever the
 * provider did, since it cannot check what the provider did.
 */
export const AMR_VALUES = ["pwd", "otp", "hwk", "swk", "mfa", "fed"] as const;
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

type FixedMethod = keyof typeof SIGN_IN_METHODS;

/** A provider sign-in ("provider:github"), alone or with the second factor that followed it. */
export type ProviderMethod = `provider:${ProviderId}` | `provider:${ProviderId}+otp` | `provider:${ProviderId}+recovery-code`;

export type SignInMethod = FixedMethod | ProviderMethod;

/** The first factors a second one can follow: what a pending sign-in records. */
export type FirstFactorMethod = "password" | `provider:${ProviderId}`;

const PROVIDER_METHOD = /^provider:([a-z]+)(\+otp|\+recovery-code)?$/;

/** The provider and the second factor of a provider method; null for any other value. */
function parseProviderMethod(value: string): { provider: ProviderId; second: "" | "+otp" | "+recovery-code" } | null {
  const match = PROVIDER_METHOD.exec(value);
  if (!match || !isProviderId(match[1])) return null;
  return { provider: match[1], second: (match[2] ?? "") as "" | "+otp" | "+recovery-code" };
}

export function isSignInMethod(value: unknown): value is SignInMethod {
  return typeof value === "string" && (Object.hasOwn(SIGN_IN_METHODS, value) || parseProviderMethod(value) !== null);
}

export function isFirstFactorMethod(value: unknown): value is FirstFactorMethod {
  return value === "password" || (typeof value === "string" && parseProviderMethod(value)?.second === "");
}

/** "provider:github" */
export function providerMethod(provider: ProviderId): `provider:${ProviderId}` {
  return `provider:${provider}`;
}

/** Every provider method, for tests and documentation. */
export const PROVIDER_METHODS: readonly ProviderMethod[] = PROVIDER_IDS.flatMap((id) => [
  `provider:${id}` as const,
  `provider:${id}+otp` as const,
  `provider:${id}+recovery-code` as const,
]);

/** The method on a session row; a value this version does not know reads as the weakest, a password. */
export function toSignInMethod(value: string): SignInMethod {
  return isSignInMethod(value) ? value : "password";
}

export function amrOf(method: SignInMethod): readonly Amr[] {
  const provider = parseProviderMethod(method);
  if (!provider) return SIGN_IN_METHODS[method as FixedMethod].amr;
  return provider.second === "" ? ["fed"] : ["fed", "otp", "mfa"];
}

/**
 * How /account/sessions and the activity say it, after "Signed in with": "password", "password and authenticator
 * app", "GitHub", "GitHub and recovery code". A provider keeps its name's capitals; the rest is lower case.
 */
export function describeSignInMethod(method: SignInMethod): string {
  const provider = parseProviderMethod(method);
  if (!provider) return SIGN_IN_METHODS[method as FixedMethod].label.toLowerCase();
  const second = { "": "", "+otp": " and authenticator app", "+recovery-code": " and recovery code" }[provider.second];
  return `${providerName(provider.provider)}${second}`;
}

/** The method a second factor makes of a first one: "password" + otp is "password+otp". */
export function withSecondFactor(first: FirstFactorMethod, second: "otp" | "recovery-code"): SignInMethod {
  return `${first}+${second}`;
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
export type Proof = "password" | "provider" | "otp" | "recovery-code" | "passkey" | "passkey-synced";

/**
 * A session's method after a confirmation: a second factor on a one-factor session (a password, a provider) makes
 * it a two-factor one; a first factor again, or a factor on a session that already had two, never changes it
 * (never weakens it).
 */
export function methodAfterConfirmation(current: SignInMethod, proof: Proof): SignInMethod {
  if (!isFirstFactorMethod(current) || proof === "password" || proof === "provider") return current;
  if (proof === "otp" || proof === "recovery-code") return withSecondFactor(current, proof);
  return proof;
}
