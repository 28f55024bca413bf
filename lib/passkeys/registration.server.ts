import "server-only";
// Adding a passkey (WebAuthn registration) for the signed-in person: options with a fresh challenge bound to them,
// then the browser's response verified against that challenge, spent first, and the credential stored. The
// credential id is the row's primary key, so one credential belongs to one account, ever.
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
} from "@simplewebauthn/server";
import { COSEALG } from "@simplewebauthn/server/helpers";
import { requestClient } from "../activity/client.server";
import { recordEvent } from "../activity/record.server";
import { db, holdUserRow, isUniqueViolation } from "../db/db.server";
import { appLink } from "../mail/links";
import { enqueueMail } from "../mail/outbox.server";
import { wakeMailSender } from "../mail/sender.server";
import { passkeyAddedMail } from "../mail/templates";
import { SECURITY_PATH } from "../routes";
import { CHALLENGE_TTL_SECONDS, issueChallenge, spendChallenge } from "./challenges.server";
import { isSynced, toTransports } from "./webauthn-credentials";
import { PasskeyError } from "./errors";
import { logEvent } from "../log.server";
import { relyingParty, type CeremonyContext } from "./relying-party";
import { challengeOf, parseRegistrationResponse } from "./responses";
import { countPasskeys, MAX_PASSKEYS_PER_ACCOUNT, type PasskeySummary } from "./store.server";

/** Ed25519, P-256, RSA: what authenticators make. Named, so options and verification agree on every runtime. */
export const SUPPORTED_ALGORITHMS = [COSEALG.EdDSA, COSEALG.ES256, COSEALG.RS256];

export interface Registrant {
  id: string;
  email: string;
}

/** The user handle an authenticator stores with the passkey: the user's id as UTF-8, so it maps back to them. */
export function userHandleFor(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId, "utf8"));
}

const fail = (reason: ConstructorParameters<typeof PasskeyError>[0], cause?: unknown) =>
  new PasskeyError(reason, "registration", cause === undefined ? undefined : { cause });

/**
 * What navigator.credentials.create needs: a discoverable credential (resident key), user verification
 * required, none of the person's existing passkeys again. Throws PasskeyError "too-many" at the limit.
 */
export async function registrationOptions(
  user: Registrant,
  { rp = relyingParty(), now = new Date() }: CeremonyContext = {},
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await db.passkey.findMany({ where: { userId: user.id }, select: { id: true, transports: true } });
  if (existing.length >= MAX_PASSKEYS_PER_ACCOUNT) throw fail("too-many");
  const { bytes } = await issueChallenge({ purpose: "registration", userId: user.id }, now);
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.email,
    userID: userHandleFor(user.id),
    challenge: bytes,
    timeout: CHALLENGE_TTL_SECONDS * 1000,
    attestationType: "none",
    excludeCredentials: existing.map((passkey) => ({ id: passkey.id, transports: toTransports(passkey.transports) })),
    authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "required" },
    supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
  });
}

/**
 * Verifies the browser's answer to registrationOptions and stores the passkey under `name`. The challenge is
 * spent before anything else is checked, so a response is accepted at most once. Throws PasskeyError.
 */
export async function verifyRegistration(
  user: Registrant,
  input: unknown,
  name: string,
  context: CeremonyContext = {},
): Promise<PasskeySummary> {
  try {
    const passkey = await registerCredential(user, input, name, context);
    logEvent("passkey.added", { userId: user.id, address: context.address, passkeyId: passkey.id, synced: passkey.synced });
    return passkey;
  } catch (error) {
    if (error instanceof PasskeyError) logEvent("passkey.failed", { userId: user.id, address: context.address, ceremony: error.ceremony, reason: error.reason });
    throw error;
  }
}

async function registerCredential(
  user: Registrant,
  input: unknown,
  name: string,
  { rp = relyingParty(), now = new Date() }: CeremonyContext,
): Promise<PasskeySummary> {
  const response = parseRegistrationResponse(input);
  if (!response) throw fail("not-verified");
  const challenge = challengeOf(response);
  if (!(await spendChallenge(challenge, { purpose: "registration", userId: user.id }, now))) throw fail("challenge");
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge!,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserPresence: true,
      requireUserVerification: true,
      supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
    });
  } catch (error) {
    throw fail("not-verified", error);
  }
  if (!verification.verified) throw fail("not-verified");
  const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;
  const deviceType = credentialDeviceType;
  const client = await requestClient();
  try {
    const row = await db.$transaction(async (tx) => {
      // Counted with the account held: registrations sent at once each count the others' and stop at the limit.
      await holdUserRow(tx, user.id);
      if ((await countPasskeys(user.id, tx)) >= MAX_PASSKEYS_PER_ACCOUNT) throw fail("too-many");
      const created = await tx.passkey.create({
        data: {
          id: credential.id,
          userId: user.id,
          name,
          publicKey: new Uint8Array(credential.publicKey),
          counter: credential.counter,
          transports: toTransports(credential.transports ?? response.response.transports).join(",") || null,
          deviceType,
          backedUp: credentialBackedUp,
          createdAt: now,
        },
        select: { id: true, name: true, createdAt: true, lastUsedAt: true },
      });
      await recordEvent({ userId: user.id, kind: "passkey-added", client, details: { passkeyName: name }, now }, tx);
      // The owner is told, as for the authenticator app: a passkey signs in without the password.
      await enqueueMail(passkeyAddedMail(user.email, name, appLink(SECURITY_PATH)), tx);
      return created;
    });
    wakeMailSender();
    return { ...row, synced: isSynced({ deviceType, backedUp: credentialBackedUp }) };
  } catch (error) {
    // The credential id is taken: by this account (excludeCredentials was ignored) or by another, which keeps it.
    if (isUniqueViolation(error)) throw fail("already-registered", error);
    throw error;
  }
}
