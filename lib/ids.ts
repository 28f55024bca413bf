// Ids for database rows and token ids (jti): random, so that no id says how many came before or when it was made.
import { encodeBase64urlNoPadding } from "@oslojs/encoding";

/** 128 random bits, base64url: unguessable and unique without asking the database. */
export function randomId(): string {
  return encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(16)));
}
