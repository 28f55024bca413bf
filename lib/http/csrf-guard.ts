// The CSRF check, and the body guard, for posts to pages (server actions): a foreign Origin gets 403. Next.js
// answers 500 to several bad posts where a client error is due (that foreign Origin, a body over its limit, a
// multipart post with no action in it), so middleware refuses those first with the right 4xx. Edge-safe.
import { API_PATH } from "../routes";

/**
 * The largest form post accepted: sign-in and sign-up forms are a few hundred bytes, and up to this size a field
 * far too long still gets a validation message. (Next.js itself reads up to 1 MB, its default, so this is the
 * limit that bites.)
 */
export const MAX_FORM_POST_BYTES = 256 * 1024;

function plainResponse(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/** The host Next.js itself compares a server action's Origin against: the proxy's forwarded host, else Host. */
function hostOf(request: Request): string | null {
  return request.headers.get("x-forwarded-host") ?? request.headers.get("host");
}

function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return false;
  // A page sent with `Referrer-Policy: no-referrer` (those a mailed link opens) posts its forms with `Origin: null`.
  // Sec-Fetch-Site, which the browser sets and no page can, still tells whether the post came from this origin.
  if (origin === "null") return request.headers.get("sec-fetch-site") === "same-origin";
  try {
    return new URL(origin).host === hostOf(request);
  } catch {
    return false;
  }
}

/**
 * Whether a browser sent this request from a page of another site. Sec-Fetch-Site, which no page can set, decides
 * where the browser sends it ("none" is the person's own doing: an extension, the address bar). Older browsers
 * send only Origin: another web origin, or an opaque one (a sandboxed frame), is another site. A client that is
 * no browser sends neither.
 */
export function isFromAnotherSite(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null) return site === "cross-site" || site === "same-site";
  const origin = request.headers.get("origin");
  if (origin === null || !/^(https?:\/\/|null$)/.test(origin)) return false;
  return !isSameOrigin(request);
}

/** A response refusing this page post, or null to let it through. Route handlers (/api) check their own. */
export async function refuseMalformedFormPost(request: Request): Promise<Response | null> {
  if (request.method !== "POST" || new URL(request.url).pathname.startsWith(`${API_PATH}/`)) return null;
  // Cross-site request forgery: a server action runs only for a page of this very host. Browsers send Origin on
  // every POST; a post without one did not come from a page of ours. (serverActions.allowedOrigins stays unset:
  // the app's own host is the only one.)
  if (!isSameOrigin(request)) return plainResponse(403, "Form posts are accepted from this site's own pages only.");
  // Next.js cannot parse `Origin: null` (it answers 500); the post is known to be same-origin by now, so it gets
  // the origin it came from, as Next.js compares it: by host.
  if (request.headers.get("origin") === "null") request.headers.set("origin", `${new URL(request.url).protocol}//${hostOf(request)}`);
  const length = request.headers.get("content-length");
  if (length === null) return plainResponse(411, "A form post needs a Content-Length.");
  if (!/^\d+$/.test(length) || Number(length) > MAX_FORM_POST_BYTES) {
    return plainResponse(413, `A form post may be at most ${MAX_FORM_POST_BYTES / 1024} KB.`);
  }
  // With JavaScript, React sends the action's id in a header and Next.js answers unknown ones with 404. Without
  // it, the id travels inside the multipart body: a body with none is no form of this app.
  const isMultipart = request.headers.get("content-type")?.startsWith("multipart/form-data") ?? false;
  if (!isMultipart || request.headers.has("next-action")) return null;
  let form: FormData;
  try {
    form = await request.clone().formData();
  } catch {
    return plainResponse(400, "The form post could not be read.");
  }
  for (const name of form.keys()) if (name.startsWith("$ACTION_")) return null;
  return plainResponse(400, "The form post names no action.");
}
