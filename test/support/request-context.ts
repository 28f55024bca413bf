// The request a test is "in", as next/headers hands it to lib/: the cookies the browser sent and the request's
// headers, chosen by the test. Next.js's request context (not what the tests are about) is stood in for with
//   vi.mock("next/headers", async () => (await import("../support/request-context")).nextHeaders);
// What lib/ sets through cookies().set lands in the same jar, as the browser would keep it for its next request.

export interface CookieWrite {
  name: string;
  value: string;
  attributes: Record<string, unknown> | undefined;
}

class TestRequest {
  /** The cookies of this request (and, after lib/ sets one, of the browser's next). */
  readonly cookies = new Map<string, string>();
  headers = new Headers();
  /** Every cookies().set of this request, in order, with its attributes. */
  readonly cookieWrites: CookieWrite[] = [];

  /** A new request from the same browser: these cookies, these headers, nothing written yet. */
  start({ cookies = {}, headers = {} }: { cookies?: Record<string, string>; headers?: Record<string, string> } = {}) {
    this.cookies.clear();
    for (const [name, value] of Object.entries(cookies)) this.cookies.set(name, value);
    this.headers = new Headers(headers);
    this.cookieWrites.length = 0;
  }
}

export const request = new TestRequest();

/** The part of Next.js's cookie store lib/ uses, over `request`. */
const cookieStore = {
  get(name: string) {
    const value = request.cookies.get(name);
    return value === undefined ? undefined : { name, value };
  },
  getAll() {
    return [...request.cookies].map(([name, value]) => ({ name, value }));
  },
  has(name: string) {
    return request.cookies.has(name);
  },
  set(name: string, value: string, attributes?: Record<string, unknown>) {
    request.cookieWrites.push({ name, value, attributes });
    // A cookie set with Max-Age 0 is a deletion, as a browser reads it.
    if (attributes?.maxAge === 0) request.cookies.delete(name);
    else request.cookies.set(name, value);
    return cookieStore;
  },
  delete(name: string) {
    request.cookies.delete(name);
    return cookieStore;
  },
};

/** Stands in for the module next/headers. */
export const nextHeaders = {
  cookies: async () => cookieStore,
  headers: async () => request.headers,
};
