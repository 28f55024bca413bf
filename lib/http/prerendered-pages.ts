// Pages built once by `next build` and served as they are, without a render per request (app/prerendered/): the
// home page and the sign-in page as a signed-out person sees them. Their inline scripts are fixed at build time, so
// the policy allows them by their SHA-256 instead of a nonce. Edge-safe: middleware decides here whether a request
// gets one.
// Why, what it measured and what it gives up: docs/decisions/0011-signed-out-pages.md.
import { HOME_PATH, SIGN_IN_PATH } from "../routes";

/** Where each prerendered page lives in the build, by the public path it answers for. */
export const PRERENDERED_ROUTES: Readonly<Record<string, string>> = {
  [HOME_PATH]: "/prerendered/home",
  [SIGN_IN_PATH]: "/prerendered/sign-in",
};

/**
 * The request header by which middleware asks for a prerendered page, its value the page's route: next.config.mjs
 * rewrites the request to that route. A rewrite made in middleware itself would do, but Next.js 16 proxies it over the
 * network to itself when started with `-H 127.0.0.1` (vercel/next.js#94745). Middleware deletes it from every
 * request it does not set it on, so a client sending it changes nothing.
 */
export const PRERENDERED_PAGE_HEADER = "x-tessera-prerendered";

const PRERENDERED_PREFIX = "/prerendered/";

/**
 * The environment variable through which the server's start-up (instrumentation.node.ts) hands middleware the
 * hashes of each prerendered page's inline scripts, read from this very build: JSON, route → ["sha256-…", …].
 */
export const PRERENDERED_HASHES_ENV = "TESSERA_PRERENDERED_SCRIPT_HASHES";

const SHA256_SOURCE = /^sha256-[A-Za-z0-9+/]{43}=$/;

type ScriptHashes = Readonly<Record<string, readonly string[]>>;

let parsed: { from: string; hashes: ScriptHashes } | undefined;

/** The hashes start-up found, parsed once; none (so no page is served prerendered) when it found nothing. */
function scriptHashes(): ScriptHashes {
  const from = process.env[PRERENDERED_HASHES_ENV] ?? "";
  if (parsed?.from !== from) {
    const hashes: Record<string, readonly string[]> = {};
    try {
      const given: unknown = from ? JSON.parse(from) : {};
      // Only well-formed hashes of known routes: whatever else it holds never reaches the policy.
      for (const route of Object.values(PRERENDERED_ROUTES)) {
        const list: unknown = (given as Record<string, unknown>)?.[route];
        if (Array.isArray(list) && list.every((hash) => typeof hash === "string" && SHA256_SOURCE.test(hash))) hashes[route] = list;
      }
    } catch {
      // Unreadable: every page renders per request with its nonce, as without it.
    }
    parsed = { from, hashes };
  }
  return parsed.hashes;
}

/** A request for the prerendered routes' own addresses, which only the rewrite may reach. */
export function isPrerenderedRoute(pathname: string): boolean {
  return pathname.startsWith(PRERENDERED_PREFIX);
}

/**
 * The prerendered page for this request and the hashes of its inline scripts, or null when it must be rendered per
 * request: anything but a GET or HEAD, a query string, any session cookie (even a bad one: the per-request page
 * deletes it), a fetch by the client router (`Sec-Fetch-Dest: empty`: its answer carries no script tag to
 * speed up), or a build whose hashes start-up did not find.
 */
export function prerenderedPageFor(request: Request & { nextUrl: URL }, hasSessionCookie: boolean): { route: string; hashes: readonly string[] } | null {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  const { pathname, search } = request.nextUrl;
  if (!Object.hasOwn(PRERENDERED_ROUTES, pathname) || search !== "" || hasSessionCookie) return null;
  if (request.headers.get("sec-fetch-dest") === "empty") return null;
  const route = PRERENDERED_ROUTES[pathname]!;
  const hashes = scriptHashes()[route];
  return hashes && hashes.length > 0 ? { route, hashes } : null;
}
