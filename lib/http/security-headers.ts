// Headers every response carries (set in middleware.ts). Edge-safe. The Content Security Policy allows only the
// page's own scripts: on a page rendered per request those carrying its nonce (Next.js adds it to its own when it
// finds the policy on the request); on a prerendered page (lib/http/prerendered-pages.ts) its inline scripts by
// their hashes, fixed at build time. Injected markup cannot run script; no plugins, no <base> rewriting, no framing.

/** 128 random bits, base64: a fresh one per response. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/** What lets a page's scripts run: this response's nonce, or the hashes ("sha256-…") of a prerendered page's. */
export type ScriptAllowance = { nonce: string } | { hashes: readonly string[] };

function scriptSources(allowance: ScriptAllowance): string {
  // With a nonce, 'strict-dynamic' trusts what the nonced scripts load and nothing else ('self' is ignored). A
  // prerendered page names its external scripts in its HTML, so they are allowed as files of this site ('self'):
  // none is anyone's upload, and nosniff keeps a JSON answer from running as one.
  if ("nonce" in allowance) return `'self' 'nonce-${allowance.nonce}' 'strict-dynamic'`;
  return ["'self'", ...allowance.hashes.map((hash) => `'${hash}'`)].join(" ");
}

export function contentSecurityPolicy(allowance: ScriptAllowance, production: boolean): string {
  const styleNonce = production && "nonce" in allowance ? ` 'nonce-${allowance.nonce}'` : "";
  return [
    "default-src 'self'",
    // Development needs eval for React's debugging and Fast Refresh.
    `script-src ${scriptSources(allowance)}${production ? "" : " 'unsafe-eval'"}`,
    `style-src 'self'${production ? styleNonce : " 'unsafe-inline'"}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders(allowance: ScriptAllowance, production: boolean): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(allowance, production),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    ...(production ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}
