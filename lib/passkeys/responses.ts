// What a browser posts back from a ceremony, checked for shape before anything reads it: a server action's
// arguments are whatever the client chose to send. Only the fields WebAuthn defines are kept, so an object with
// extra keys or odd types never reaches the verifier. Pure.
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { decodeClientDataJSON } from "@simplewebauthn/server/helpers";
import { isCredentialId, toTransports } from "./webauthn-credentials";

/** Far above any real response (attestation certificates are a few KB), far below the page-post limit. */
const MAX_FIELD_LENGTH = 32 * 1024;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const base64url = (value: unknown): value is string =>
  typeof value === "string" && value.length > 0 && value.length <= MAX_FIELD_LENGTH && BASE64URL.test(value);

const AUTHENTICATOR_ATTACHMENTS = ["platform", "cross-platform"] as const;

function attachment(value: unknown) {
  return AUTHENTICATOR_ATTACHMENTS.find((known) => known === value);
}

/** What every credential the browser posts has: its id, the response object, and the envelope we send on. */
function credentialParts(input: unknown) {
  if (!isRecord(input) || !isRecord(input.response)) return null;
  if (!isCredentialId(input.id) || input.rawId !== input.id || input.type !== "public-key") return null;
  const clientDataJSON = input.response.clientDataJSON;
  if (!base64url(clientDataJSON)) return null;
  const envelope = {
    id: input.id,
    rawId: input.id,
    type: "public-key" as const,
    authenticatorAttachment: attachment(input.authenticatorAttachment),
    clientExtensionResults: {},
  };
  return { response: input.response, clientDataJSON, envelope };
}

export function parseRegistrationResponse(input: unknown): RegistrationResponseJSON | null {
  const parts = credentialParts(input);
  if (!parts || !base64url(parts.response.attestationObject)) return null;
  return {
    ...parts.envelope,
    response: {
      clientDataJSON: parts.clientDataJSON,
      attestationObject: parts.response.attestationObject,
      transports: toTransports(parts.response.transports),
    },
  };
}

export function parseAuthenticationResponse(input: unknown): AuthenticationResponseJSON | null {
  const parts = credentialParts(input);
  if (!parts || !base64url(parts.response.authenticatorData) || !base64url(parts.response.signature)) return null;
  const { userHandle } = parts.response;
  if (userHandle !== undefined && userHandle !== null && !base64url(userHandle)) return null;
  return {
    ...parts.envelope,
    response: {
      clientDataJSON: parts.clientDataJSON,
      authenticatorData: parts.response.authenticatorData,
      signature: parts.response.signature,
      userHandle: typeof userHandle === "string" ? userHandle : undefined,
    },
  };
}

/** The challenge the browser signed, as clientDataJSON states it; null when it cannot be read. */
export function challengeOf(response: { response: { clientDataJSON: string } }): string | null {
  try {
    const { challenge } = decodeClientDataJSON(response.response.clientDataJSON);
    return typeof challenge === "string" && challenge.length > 0 ? challenge : null;
  } catch {
    return null;
  }
}

/** The user handle as text (we register the user's id as its UTF-8 bytes); null when absent or unreadable. */
export function userHandleText(handle: string | undefined): string | null {
  if (!handle) return null;
  return Buffer.from(handle, "base64url").toString("utf8");
}
