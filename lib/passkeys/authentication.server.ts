import "server-only";
// Using a passkey (WebAuthn authentication): to sign in with no email or password (a discoverable credential;
// whoever owns it is signed in), or to confirm who you are in a session (step-up: only your own passkeys).
// The challenge is spent first, the passkey is looked up by its credential id, the user handle (when the
// authenticator sends one) must name the same owner, and the signature and counter must verify.
import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { db } from "../db/db.server";
import { toRole, type Role } from "../tokens/roles";
import { CHALLENGE_TTL_SECONDS, issueChallenge, spendChallenge, type ChallengeBinding } from "./challenges.server";
import { isSynced, toTransports } from "./webauthn-credentials";
import { PasskeyError, type PasskeyCeremony, type PasskeyFailure } from "./errors";
import { logEvent } from "../log.server";
import { relyingParty, type CeremonyContext } from "./relying-party";
import { challengeOf, parseAuthenticationResponse, userHandleText } from "./responses";

export interface PasskeyUse {
  /** The passkey's owner: the person to sign in, or the one who just confirmed. */
  user: { id: string; role: Role };
  passkeyId: string;
  /** How the session was (or now is) authenticated: a synced passkey is "passkey-synced". */
  method: "passkey" | "passkey-synced";
}

/** Options for a passwordless sign-in, by the button or by the browser's autofill: any of the site's passkeys. */
export async function signInOptions({ rp = relyingParty(), now = new Date() }: CeremonyContext = {}): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { bytes } = await issueChallenge({ purpose: "authentication", userId: null }, now);
  return generateAuthenticationOptions({
    rpID: rp.id,
    challenge: bytes,
    timeout: CHALLENGE_TTL_SECONDS * 1000,
    userVerification: "required",
    allowCredentials: [],
  });
}

/** Options for confirming who you are in a session: the person's own passkeys only. Throws "no-passkey". */
export async function stepUpOptions(
  userId: string,
  { rp = relyingParty(), now = new Date() }: CeremonyContext = {},
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const passkeys = await db.passkey.findMany({ where: { userId }, select: { id: true, transports: true } });
  if (passkeys.length === 0) throw new PasskeyError("no-passkey", "step-up");
  const { bytes } = await issueChallenge({ purpose: "authentication", userId }, now);
  return generateAuthenticationOptions({
    rpID: rp.id,
    challenge: bytes,
    timeout: CHALLENGE_TTL_SECONDS * 1000,
    userVerification: "required",
    allowCredentials: passkeys.map((passkey) => ({ id: passkey.id, transports: toTransports(passkey.transports) })),
  });
}

/** Verifies a passwordless sign-in and names the passkey's owner, whom the caller signs in. Throws PasskeyError. */
export function verifySignIn(input: unknown, context: CeremonyContext = {}): Promise<PasskeyUse> {
  return logged(verifyAssertion(input, { purpose: "authentication", userId: null }, "sign-in", context), "sign-in", context);
}

/** Verifies a step-up by the signed-in person `userId`, with one of their own passkeys only. Throws PasskeyError. */
export function verifyStepUp(userId: string, input: unknown, context: CeremonyContext = {}): Promise<PasskeyUse> {
  return logged(verifyAssertion(input, { purpose: "authentication", userId }, "step-up", context), "step-up", context, userId);
}

/** Logs the outcome: a sign-in as every sign-in is logged, a failure with its reason (never the response). */
async function logged(verifying: Promise<PasskeyUse>, ceremony: PasskeyCeremony, context: CeremonyContext, userId?: string) {
  try {
    const use = await verifying;
    const fields = { userId: use.user.id, address: context.address, passkeyId: use.passkeyId, method: use.method };
    logEvent(ceremony === "sign-in" ? "sign-in.succeeded" : "passkey.confirmed", fields);
    return use;
  } catch (error) {
    if (error instanceof PasskeyError) logEvent("passkey.failed", { userId, address: context.address, ceremony, reason: error.reason });
    throw error;
  }
}

async function verifyAssertion(
  input: unknown,
  binding: ChallengeBinding,
  ceremony: PasskeyCeremony,
  { rp = relyingParty(), now = new Date() }: CeremonyContext,
): Promise<PasskeyUse> {
  const fail = (reason: PasskeyFailure, cause?: unknown) =>
    new PasskeyError(reason, ceremony, cause === undefined ? undefined : { cause });
  const response = parseAuthenticationResponse(input);
  if (!response) throw fail("not-verified");
  const challenge = challengeOf(response);
  if (!(await spendChallenge(challenge, binding, now))) throw fail("challenge");

  const passkey = await db.passkey.findUnique({
    where: { id: response.id },
    select: {
      id: true,
      userId: true,
      publicKey: true,
      counter: true,
      transports: true,
      user: { select: { id: true, role: true } },
    },
  });
  if (!passkey) throw fail("unknown-credential");
  // A step-up accepts the signed-in person's own passkeys only, whatever the browser offered.
  if (binding.userId !== null && passkey.userId !== binding.userId) throw fail("wrong-account");
  // The authenticator's user handle names the account it made the passkey for: it must be this passkey's owner.
  const handle = userHandleText(response.response.userHandle);
  if (handle !== null && handle !== passkey.userId) throw fail("wrong-account");

  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge!,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      credential: {
        id: passkey.id,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: passkey.counter,
        transports: toTransports(passkey.transports),
      },
    });
  } catch (error) {
    throw fail("not-verified", error);
  }
  if (!verification.verified) throw fail("not-verified");
  const { newCounter, credentialDeviceType, credentialBackedUp } = verification.authenticationInfo;

  // The signature counter only goes up (when the authenticator keeps one: synced passkeys send 0). Of two uses
  // racing, the lower counter loses, as a cloned authenticator would; a passkey removed meanwhile matches nothing.
  const { count } = await db.passkey.updateMany({
    where: { id: passkey.id, userId: passkey.userId, ...(newCounter > 0 ? { counter: { lt: newCounter } } : {}) },
    data: { counter: newCounter, lastUsedAt: now, backedUp: credentialBackedUp },
  });
  if (count !== 1) throw fail("not-verified");
  return {
    user: { id: passkey.user.id, role: toRole(passkey.user.role) },
    passkeyId: passkey.id,
    method: isSynced({ deviceType: credentialDeviceType, backedUp: credentialBackedUp }) ? "passkey-synced" : "passkey",
  };
}
