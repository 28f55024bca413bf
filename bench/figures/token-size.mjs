// Figure 5: what the session costs on the wire for the longest claims it signs (an admin signed in with two
// factors, amr ["pwd","otp","mfa"]): the token, the cookie (name=value, what
// the browser stores and sends with every request, and what browsers' size limits count), and the Set-Cookie
// header that delivers it (production attributes, serialized by the same code Next.js uses), beside an
// Auth.js-style JWE of the same claims. The budget applies to the token and to the cookie: 400 bytes until tokens
// carried amr, 440 since (docs/decisions/0010-second-factors.md).
import { createRequire } from "node:module";
import { AUTHJS_COOKIE_NAME, encodeSession } from "../authjs-session.mjs";
import { resultRow } from "../harness.mjs";
import { benchSessionConfig, defaultSubject, loadProject } from "../project.mjs";

export const title = "Cookie and token size";

const BUDGET_BYTES = 440;
const { ResponseCookies } = createRequire(import.meta.url)("next/dist/compiled/@edge-runtime/cookies");

/** The Set-Cookie header Next.js writes for cookies().set(name, value, attributes). */
function setCookieHeader(name, value, attributes) {
  const headers = new Headers();
  new ResponseCookies(headers).set(name, value, attributes);
  return `Set-Cookie: ${headers.getSetCookie()[0]}`; // the header line as sent, name included
}

const bytes = (text) => Buffer.byteLength(text);

export async function run() {
  const project = await loadProject();
  const config = benchSessionConfig(project, { NODE_ENV: "production" });
  const longest = { ...defaultSubject(project), role: "admin", amr: ["pwd", "otp", "mfa"] };
  const { token } = await project.signSessionToken(longest, config);
  const claims = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());

  // Auth.js puts iat, exp and jti in itself; the rest are ours, so both carry the same claims.
  const { iat: _iat, exp: _exp, jti: _jti, ...authClaims } = claims;
  const authToken = await encodeSession(authClaims, Buffer.from(config.signingSecret).toString("base64"));
  const authAttributes = { httpOnly: true, sameSite: "lax", path: "/", secure: true, maxAge: 30 * 24 * 60 * 60 };

  const ours = {
    token: bytes(token),
    cookie: bytes(`${config.cookieName}=${token}`),
    setCookie: bytes(setCookieHeader(config.cookieName, token, project.sessionCookieAttributes(config))),
  };
  const authjs = {
    token: bytes(authToken),
    cookie: bytes(`${AUTHJS_COOKIE_NAME}=${authToken}`),
    setCookie: bytes(setCookieHeader(AUTHJS_COOKIE_NAME, authToken, authAttributes)),
  };
  const value = (label, n) => ({ label, value: n, unit: "B" });
  const row = (label, a, b, goal) => resultRow({ figure: 5, label, a, b, ratio: a.value / b.value, goal });
  const budget = value("budget", BUDGET_BYTES);
  return [
    row(`token vs ${BUDGET_BYTES}-byte budget`, value("ours, token", ours.token), budget, { below: 1 }),
    row(`cookie (name=value) vs ${BUDGET_BYTES}-byte budget`, value("ours, cookie", ours.cookie), budget, { below: 1 }),
    row("token: ours vs Auth.js-style JWE", value("ours, token", ours.token), value("Auth.js JWE", authjs.token)),
    row("cookie: ours vs Auth.js-style", value("ours, cookie", ours.cookie), value("Auth.js, cookie", authjs.cookie)),
    row("Set-Cookie: ours vs Auth.js-style", value("ours, Set-Cookie", ours.setCookie), value("Auth.js, Set-Cookie", authjs.setCookie)),
  ];
}
