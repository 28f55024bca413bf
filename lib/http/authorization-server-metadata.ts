// RFC 8414 metadata, served at /.well-known/oauth-authorization-server and /.well-known/openid-configuration, so
// that standard verifiers find the JWKS and the endpoints from the issuer alone. This app signs no ID tokens and
// has no authorization endpoint: it is an OAuth authorization server's metadata, not OpenID Connect's.
import { ACCESS_TOKEN_ALGORITHMS } from "../config";

/**
 * Where the endpoints live: under the issuer when SESSION_ISSUER is a URL (as RFC 8414 wants it to be, and then
 * no request header can change them), else on the origin the request came to.
 */
function baseUrl(issuer: string, requestOrigin: string): string {
  return /^https?:\/\//.test(issuer) ? issuer.replace(/\/+$/, "") : requestOrigin;
}

export function authorizationServerMetadata(issuer: string, requestOrigin: string) {
  const base = baseUrl(issuer, requestOrigin);
  return {
    issuer,
    jwks_uri: `${base}/.well-known/jwks.json`,
    token_endpoint: `${base}/api/auth/token`,
    revocation_endpoint: `${base}/api/auth/revoke`,
    introspection_endpoint: `${base}/api/auth/introspect`,
    grant_types_supported: ["password", "refresh_token"],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: ["none"],
    revocation_endpoint_auth_methods_supported: ["none"],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    // Not an RFC 8414 member, but what verifiers ask: which algorithms access tokens may be signed with.
    access_token_signing_alg_values_supported: [...ACCESS_TOKEN_ALGORITHMS],
  };
}
