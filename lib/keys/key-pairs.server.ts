import "server-only";
// Asymmetric key pairs for access tokens, through jose: made, read from PKCS#8, and described as the public JWK
// the JWKS publishes. The kid is the key's RFC 7638 thumbprint, so it names the key and nothing else.
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type JWK } from "jose";
import type { AccessTokenAlgorithm } from "../config";

export interface KeyPair {
  kid: string;
  alg: AccessTokenAlgorithm;
  /** Not extractable: nothing in the process can read the private key back out of it. */
  privateKey: CryptoKey;
  /** What verifiers get: the public parameters only, with kid, alg and use. */
  publicJwk: JWK;
}

/** The key pair as published: only the public members a JWK of its type has, so no private one can slip in. */
async function describe(alg: AccessTokenAlgorithm, privateKey: CryptoKey, jwk: JWK): Promise<KeyPair> {
  const { kty, crv, x, y, n, e } = jwk;
  const parameters = Object.fromEntries(Object.entries({ kty, crv, x, y, n, e }).filter(([, value]) => value !== undefined)) as JWK;
  const kid = await calculateJwkThumbprint(parameters, "sha256");
  return { kid, alg, privateKey, publicJwk: { ...parameters, kid, alg, use: "sig" } };
}

/** A new key pair, with its private key as PKCS#8 PEM to be sealed and stored. */
export async function generateKey(alg: AccessTokenAlgorithm): Promise<KeyPair & { pkcs8: string }> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  const pkcs8 = await exportPKCS8(privateKey);
  return { ...(await importKey(pkcs8, alg)), pkcs8 };
}

/** A key pair from its PKCS#8 PEM (stored or configured): the public half is derived from the private one. */
export async function importKey(pkcs8: string, alg: AccessTokenAlgorithm): Promise<KeyPair> {
  const readable = await importPKCS8(pkcs8, alg, { extractable: true });
  return describe(alg, await importPKCS8(pkcs8, alg), await exportJWK(readable));
}
