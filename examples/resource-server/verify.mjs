// How this resource server checks an access token, apart from its HTTP plumbing so the benchmark measures exactly
// this (bench/figures/access-token-verify.mjs). The algorithms are pinned to the asymmetric ones the app signs
// with: an HMAC-signed token, or one naming the public key as an HMAC secret, never reaches a key. jose never
// follows a token's own jku, x5u or jwk header: keys come from the JWKS alone.
import { createRemoteJWKSet, customFetch, errors, jwtVerify } from "jose";

// ECDSA signatures are malleable: (r, n - s) verifies wherever (r, s) does, so every ES256 token has a twin
// string with the same claims. The issuer signs with the low s only; refusing the high s keeps one spelling per
// token, so nothing keyed on the token string (a cache, a replay list, a log) can see one token as two.
const P256_HALF_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n >> 1n;

function hasLowS(signature64url) {
  const signature = Buffer.from(signature64url, "base64url");
  return signature.length === 64 && BigInt(`0x${signature.subarray(32).toString("hex")}`) <= P256_HALF_ORDER;
}

/**
 * A verifier for tokens meant for `audience`, with the key set fetched from `jwksUri` and kept `jwksCacheSeconds`.
 * `onFetch` is called for every fetch of the key set (the server counts them).
 */
export function createVerifier({ jwksUri, issuer, audience, jwksCacheSeconds = 600, onFetch = () => {} }) {
  const jwks = createRemoteJWKSet(new URL(jwksUri), {
    cacheMaxAge: jwksCacheSeconds * 1000,
    [customFetch]: (...args) => {
      onFetch();
      return fetch(...args);
    },
  });
  const keyFor = (header, jws) => {
    if (header.alg === "ES256" && !hasLowS(jws.signature)) throw new errors.JWSSignatureVerificationFailed("high-s ES256 signature");
    return jwks(header, jws);
  };
  return async (token) =>
    (
      await jwtVerify(token, keyFor, {
        issuer,
        audience,
        typ: "at+jwt",
        algorithms: ["ES256", "RS256"],
        requiredClaims: ["sub", "jti", "iat", "exp", "client_id"],
        clockTolerance: 5,
      })
    ).payload;
}
