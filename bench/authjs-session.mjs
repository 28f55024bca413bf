// An Auth.js-style session, for comparison: what Auth.js v5 (@auth/core's jwt.js) does with its default JWT
// session strategy, rebuilt on jose rather than installed, so the comparison needs no framework. The session is
// a JWE (alg "dir", enc A256CBC-HS512) under a 64-byte key derived by HKDF-SHA-256 from AUTH_SECRET with the
// cookie name as salt; the header's kid is the key's JWK thumbprint. Like Auth.js, the key is derived again on
// every encode and decode, and every request that reads the session decrypts it and then encrypts a new one
// (with a later exp) to send back.
import { hkdf } from "node:crypto";
import { promisify } from "node:util";
import { EncryptJWT, base64url, calculateJwkThumbprint, jwtDecrypt } from "jose";

const ALG = "dir";
const ENC = "A256CBC-HS512";
const MAX_AGE_SECONDS = 30 * 24 * 60 * 60; // Auth.js's default session lifetime
export const AUTHJS_COOKIE_NAME = "__Secure-authjs.session-token"; // its name on HTTPS; also the HKDF salt

const hkdfAsync = promisify(hkdf);

async function derivedKey(secret, salt) {
  const info = `Auth.js Generated Encryption Key (${salt})`;
  return new Uint8Array(await hkdfAsync("sha256", secret, salt, info, 64));
}

function thumbprint(key) {
  return calculateJwkThumbprint({ kty: "oct", k: base64url.encode(key) }, "sha512");
}

/** Auth.js's encode(): claims in, a JWE out. */
export async function encodeSession(claims, secret, salt = AUTHJS_COOKIE_NAME) {
  const key = await derivedKey(secret, salt);
  return new EncryptJWT(claims)
    .setProtectedHeader({ alg: ALG, enc: ENC, kid: await thumbprint(key) })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + MAX_AGE_SECONDS)
    .setJti(crypto.randomUUID())
    .encrypt(key);
}

/** Auth.js's decode(): the JWE's claims, with the key found by its kid. */
export async function decodeSession(token, secret, salt = AUTHJS_COOKIE_NAME) {
  const { payload } = await jwtDecrypt(
    token,
    async ({ kid }) => {
      const key = await derivedKey(secret, salt);
      if (kid === undefined || kid === (await thumbprint(key))) return key;
      throw new Error("no matching decryption secret");
    },
    { clockTolerance: 15, keyManagementAlgorithms: [ALG], contentEncryptionAlgorithms: [ENC, "A256GCM"] },
  );
  return payload;
}

/** One request's session check, Auth.js style: decrypt the cookie, then encrypt the refreshed session. */
export async function checkAndRefreshSession(token, secret) {
  const { iat: _iat, exp: _exp, jti: _jti, ...claims } = await decodeSession(token, secret);
  return encodeSession(claims, secret);
}
