// How this resource server checks an access token, apart from its HTTP plumbing so the benchmark measures exactly
// this (bench/figures/access-token-verify.mjs). The algorithms are pinned to the asymmetric ones the app signs
// with: an HMAC-signed token, or one naming the public key as an HMAC secret, never reaches a key. jose never
// follows a token's own jku, x5u or jwk header: keys come from the JWKS alone.
import { createRemoteJWKSet, customFetch, jwtVerify } from "jose";

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
  return async (token) =>
    (
      await jwtVerify(token, jwks, {
        issuer,
        audience,
        typ: "at+jwt",
        algorithms: ["ES256", "RS256"],
        requiredClaims: ["sub", "jti", "iat", "exp", "client_id"],
        clockTolerance: 5,
      })
    ).payload;
}
