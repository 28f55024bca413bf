// Several browsers at once, for tests that call route handlers in parallel: each call runs inside one browser's
// request (AsyncLocalStorage), so what a handler reads and sets through next/headers is that browser's cookie jar
// and headers alone, as twenty tabs or twenty attackers would be. Stand it in for next/headers with
//   vi.mock("next/headers", async () => (await import("../support/browsers")).nextHeaders);
// (test/support/request-context.ts is the one-request version the older suites use.)
import { AsyncLocalStorage } from "node:async_hooks";

export interface CookieWrite {
  name: string;
  value: string;
  attributes: Record<string, unknown> | undefined;
}

export class Browser {
  /** The cookies this browser sends (paths aside: a test says which it sends by what it puts here). */
  readonly cookies = new Map<string, string>();
  /** Every cookies().set of the requests it made, in order. */
  readonly cookieWrites: CookieWrite[] = [];

  constructor(readonly headers: Record<string, string> = {}) {}

  /** Runs `work` as one request of this browser, with `cookies` overriding its own for that request. */
  request<T>(work: () => Promise<T>): Promise<T> {
    return storage.run(this, work);
  }
}

const storage = new AsyncLocalStorage<Browser>();

function current(): Browser {
  const browser = storage.getStore();
  if (!browser) throw new Error("next/headers used outside Browser.request()");
  return browser;
}

const cookieStore = {
  get(name: string) {
    const value = current().cookies.get(name);
    return value === undefined ? undefined : { name, value };
  },
  getAll() {
    return [...current().cookies].map(([name, value]) => ({ name, value }));
  },
  has(name: string) {
    return current().cookies.has(name);
  },
  set(name: string, value: string, attributes?: Record<string, unknown>) {
    const browser = current();
    browser.cookieWrites.push({ name, value, attributes });
    if (attributes?.maxAge === 0) browser.cookies.delete(name);
    else browser.cookies.set(name, value);
    return cookieStore;
  },
  delete(name: string) {
    current().cookies.delete(name);
    return cookieStore;
  },
};

export const nextHeaders = {
  cookies: async () => cookieStore,
  headers: async () => new Headers(current().headers),
};
