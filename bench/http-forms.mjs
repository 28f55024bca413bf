// Form posts the way a browser without JavaScript makes them: the hidden fields React renders for the server
// action, plus the person's fields, as multipart/form-data (the e2e suite's e2e/support/forms.ts does the same).
export const BENCH_PASSWORD = "correct horse battery staple";

/** The hidden inputs of the first form on a page. */
export async function hiddenFields(url) {
  const html = await (await fetch(url)).text();
  const form = html.match(/<form[\s\S]*?<\/form>/)?.[0] ?? "";
  return [...form.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g)].map((m) => [
    m[1],
    (m[2] ?? "").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"),
  ]);
}

/**
 * Posts of one form, any number with different fields: fetches the form's hidden fields once and returns
 * (fields) => { url, method, headers, body }, a request ready to send.
 */
export async function formPoster(baseURL, path) {
  const url = new URL(path, baseURL).href;
  const hidden = await hiddenFields(url);
  return async (fields) => {
    const form = new FormData();
    for (const [name, value] of [...hidden, ...Object.entries(fields)]) form.append(name, value);
    const request = new Request(url, { method: "POST", body: form });
    return {
      url,
      method: "POST",
      headers: { origin: baseURL, "content-type": request.headers.get("content-type") },
      body: Buffer.from(await request.arrayBuffer()),
    };
  };
}

/** A form post for `path` ready to send any number of times: { url, method, headers, body }. */
export async function formRequest(baseURL, path, fields) {
  return (await formPoster(baseURL, path))(fields);
}

let lastAddress = 0;
/**
 * 10.0.0.1, 10.0.0.2, ...: a client address of its own for every request (sent as X-Forwarded-For to a server
 * trusting one proxy hop), so that no per-address limit ever answers in place of the work being timed.
 */
export function nextClientAddress() {
  const n = ++lastAddress;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/**
 * The cookies a browser holds after `response`, given those it held (`earlier`, "name=value" pairs): each cookie
 * the response sets replaces its namesake, and one set empty is deleted.
 */
export function keptCookies(response, earlier = []) {
  const jar = new Map(earlier.map((pair) => [pair.slice(0, pair.indexOf("=")), pair]));
  for (const pair of response.headers.getSetCookie().map((line) => line.split(";")[0])) jar.set(pair.slice(0, pair.indexOf("=")), pair);
  return [...jar.values()].filter((pair) => !pair.endsWith("="));
}

/**
 * The cookie header a browser sends after one more visit to `url`. A load generator repeats one fixed header, and
 * a browser keeps what it is given: a session a server renews (Tessera's every 5 minutes, a peer's cookie cache)
 * would be renewed on every request of a round that ignored it. A side that stands for a signed-in person calls
 * this before each round.
 */
export async function cookieAfterVisit(url, cookie) {
  const response = await fetch(url, { headers: { cookie }, redirect: "manual" });
  await response.arrayBuffer();
  return keptCookies(response, cookie.split("; ")).join("; ");
}

/** A new address nobody has used: bench-<time>-<random>@example.com. */
export const benchEmail = () => `bench-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;

/** Signs up a new person through the form; returns their email and the session cookie ("name=value"). */
export async function signUp(baseURL) {
  const email = benchEmail();
  const { url, ...init } = await formRequest(baseURL, "/sign-up", { email, password: BENCH_PASSWORD });
  const response = await fetch(url, { ...init, redirect: "manual" });
  const cookie = response.headers.getSetCookie().map((line) => line.split(";")[0]).find((pair) => /session/.test(pair));
  if (response.status !== 303 || !cookie) throw new Error(`sign-up answered ${response.status} without a session cookie`);
  return { email, cookie };
}

/**
 * A post of a form's server action the way React sends it with JavaScript (a `Next-Action` header, the arguments
 * encoded as React's encodeReply does: the previous state as JSON in part "0", the form's fields under "_1_"):
 * Next.js answers it with the action's result, and after a redirect to a page of the app with that page's
 * payload, which it fetches from itself in the same response. `previousState` is the form's initial state.
 * Returns { url, method, headers, body }.
 */
export async function actionRequest(baseURL, path, fields, previousState = { values: {}, errors: {} }) {
  const url = new URL(path, baseURL).href;
  const reference = (await hiddenFields(url)).find(([name]) => /^\$ACTION_\d+:0$/.test(name));
  if (!reference) throw new Error(`${path} has no server action form`);
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(`_1_${name}`, value);
  form.append("0", JSON.stringify([previousState, "$K1"]));
  const request = new Request(url, { method: "POST", body: form });
  return {
    url,
    method: "POST",
    headers: {
      origin: baseURL,
      accept: "text/x-component",
      "next-action": JSON.parse(reference[1]).id,
      "content-type": request.headers.get("content-type"),
    },
    body: Buffer.from(await request.arrayBuffer()),
  };
}
