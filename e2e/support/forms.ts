// Posts a page's form the way a browser without JavaScript does: the hidden fields React renders for the
// server action, plus the person's fields. Lets tests send what no real form would (huge bodies, raw bytes).
import { baseURL } from "./server";

export interface FormPost {
  status: number;
  location: string | null;
  setCookie: string[];
  body: string;
}

/** The hidden inputs of the first form on a page. */
export async function hiddenFields(path: string, cookie?: string): Promise<[string, string][]> {
  const html = await (await fetch(new URL(path, baseURL), { headers: cookie ? { cookie } : {} })).text();
  const form = html.match(/<form[\s\S]*?<\/form>/)?.[0] ?? "";
  return [...form.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g)].map((m) => [
    m[1] ?? "",
    decodeEntities(m[2] ?? ""),
  ]);
}

function decodeEntities(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/**
 * Submits a form's hidden fields (from hiddenFields, fetched earlier or now) plus these fields to `path`, as
 * multipart/form-data. A Uint8Array value is sent as the field's raw bytes, UTF-8 or not.
 */
export async function postForm(
  path: string,
  fields: Record<string, string | Uint8Array>,
  options: { cookie?: string; hidden?: [string, string][]; headers?: Record<string, string> } = {},
): Promise<FormPost> {
  const hidden = options.hidden ?? (await hiddenFields(path, options.cookie));
  const { body, contentType } = multipart([...hidden, ...Object.entries(fields)]);
  return send(path, body, options.cookie, { ...options.headers, "content-type": contentType });
}

/** A multipart/form-data body written by hand: FormData would re-encode bytes that are not UTF-8. */
function multipart(fields: [string, string | Uint8Array][]): { body: Uint8Array<ArrayBuffer>; contentType: string } {
  const boundary = `----tessera${Math.random().toString(16).slice(2)}`;
  const encoder = new TextEncoder();
  const parts = fields.flatMap(([name, value]) => [
    encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
    typeof value === "string" ? encoder.encode(value) : value,
    encoder.encode("\r\n"),
  ]);
  parts.push(encoder.encode(`--${boundary}--\r\n`));
  const body = new Uint8Array(parts.reduce((size, part) => size + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.length;
  }
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function send(
  path: string,
  body: BodyInit,
  cookie?: string,
  headers: Record<string, string> = {},
): Promise<FormPost> {
  const url = new URL(path, baseURL);
  const response = await fetch(url, {
    method: "POST",
    body,
    redirect: "manual",
    // The page's own origin, as a browser sends it: Next.js refuses server actions from any other.
    headers: { origin: url.origin, ...(cookie ? { cookie } : {}), ...headers },
  });
  return {
    status: response.status,
    location: response.headers.get("location"),
    setCookie: response.headers.getSetCookie(),
    body: await response.text(),
  };
}
