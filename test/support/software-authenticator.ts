// A software authenticator for tests: makes P-256 passkeys and signs with them exactly as a platform
// authenticator would (WebAuthn Level 3: "none" attestation, authenticator data, ES256 signatures over
// authenticatorData || SHA-256(clientDataJSON)), so lib/passkeys is tested against real ceremonies and nothing
// in it is mocked. Every part a test may want to get wrong (origin, flags, counter, user handle, challenge) can
// be overridden per call.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoCBOR } from "@simplewebauthn/server/helpers";

type CBORType = Parameters<typeof isoCBOR.encode>[0];

const FLAG = { up: 0x01, uv: 0x04, be: 0x08, bs: 0x10, at: 0x40 } as const;

const b64url = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();

function uint32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}

interface StoredCredential {
  id: string;
  privateKey: KeyObject;
  cosePublicKey: Uint8Array;
  /** base64url of the user handle the relying party gave at registration. */
  userHandle: string;
  counter: number;
  /** A synced passkey: backup eligible and backed up, and (like real synced ones) no counter. */
  synced: boolean;
}

export interface CeremonyOverrides {
  origin?: string;
  rpId?: string;
  type?: string;
  challenge?: string;
  userVerified?: boolean;
}

export class SoftwareAuthenticator {
  readonly credentials = new Map<string, StoredCredential>();

  constructor(
    readonly origin: string,
    readonly rpId: string,
  ) {}

  /** navigator.credentials.create: a new passkey for the options' user (or under `credentialId`, to collide). */
  register(
    options: PublicKeyCredentialCreationOptionsJSON,
    { credentialId, synced = false, ...overrides }: CeremonyOverrides & { credentialId?: string; synced?: boolean } = {},
  ): RegistrationResponseJSON {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    const cosePublicKey = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, new Uint8Array(Buffer.from(jwk.x!, "base64url"))],
        [-3, new Uint8Array(Buffer.from(jwk.y!, "base64url"))],
      ]),
    );
    const id = credentialId ?? b64url(randomBytes(32));
    const idBytes = Buffer.from(id, "base64url");
    const counter = synced ? 0 : 1;
    const flags = this.flags(overrides.userVerified ?? true, synced) | FLAG.at;
    const authData = Buffer.concat([
      sha256(overrides.rpId ?? this.rpId),
      Buffer.from([flags]),
      uint32(counter),
      Buffer.alloc(16), // AAGUID: none
      Buffer.from([idBytes.length >> 8, idBytes.length & 0xff]),
      idBytes,
      Buffer.from(cosePublicKey),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, CBORType>([
        ["fmt", "none"],
        ["attStmt", new Map<string, CBORType>()],
        ["authData", new Uint8Array(authData)],
      ]),
    );
    this.credentials.set(id, { id, privateKey, cosePublicKey, userHandle: options.user.id, counter, synced });
    return credentialResponse(id, {
      clientDataJSON: this.clientData("webauthn.create", options.challenge, overrides),
      attestationObject: b64url(attestationObject),
      transports: ["internal"],
    });
  }

  /** navigator.credentials.get with the credential `id`: a signed assertion over the options' challenge. */
  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    id: string,
    { userHandle, counter, ...overrides }: CeremonyOverrides & { userHandle?: string | null; counter?: number } = {},
  ): AuthenticationResponseJSON {
    const credential = this.credentials.get(id);
    if (!credential) throw new Error(`no credential ${id} on this authenticator`);
    if (counter !== undefined) credential.counter = counter;
    else if (!credential.synced) credential.counter += 1;
    const authenticatorData = Buffer.concat([
      sha256(overrides.rpId ?? this.rpId),
      Buffer.from([this.flags(overrides.userVerified ?? true, credential.synced)]),
      uint32(credential.counter),
    ]);
    const clientDataJSON = this.clientData("webauthn.get", options.challenge, overrides);
    const signature = sign("sha256", Buffer.concat([authenticatorData, sha256(Buffer.from(clientDataJSON, "base64url"))]), credential.privateKey);
    const handle = userHandle === undefined ? credential.userHandle : userHandle;
    return credentialResponse(id, {
      clientDataJSON,
      authenticatorData: b64url(authenticatorData),
      signature: b64url(signature),
      ...(handle === null ? {} : { userHandle: handle }),
    });
  }

  private flags(userVerified: boolean, synced: boolean): number {
    return FLAG.up | (userVerified ? FLAG.uv : 0) | (synced ? FLAG.be | FLAG.bs : 0);
  }

  private clientData(type: string, challenge: string, overrides: CeremonyOverrides): string {
    const data = {
      type: overrides.type ?? type,
      challenge: overrides.challenge ?? challenge,
      origin: overrides.origin ?? this.origin,
      crossOrigin: false,
    };
    return b64url(Buffer.from(JSON.stringify(data)));
  }
}

/** The base64url user handle an authenticator would return for a user id registered as UTF-8. */
export function userHandleOf(userId: string): string {
  return Buffer.from(userId, "utf8").toString("base64url");
}

/** What a browser's PublicKeyCredential serializes to around either ceremony's `response`. */
function credentialResponse<Response>(id: string, response: Response) {
  return {
    id,
    rawId: id,
    type: "public-key" as const,
    authenticatorAttachment: "platform" as const,
    clientExtensionResults: {},
    response,
  };
}
