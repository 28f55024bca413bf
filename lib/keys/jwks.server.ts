import "server-only";
// What GET /.well-known/jwks.json answers: the public keys verifiers need now, never a private or HMAC key.
import type { JWK } from "jose";
import { keyring } from "./keyring.server";

export async function publishedJwks(): Promise<{ keys: JWK[] }> {
  return { keys: (await keyring()).published().map((key) => key.publicJwk) };
}
