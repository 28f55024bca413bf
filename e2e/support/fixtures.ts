// Fixtures for suites built on this app: someone signed in, in the browser or as an API client, made directly
// through lib/ for each test and deleted after it, so no test can sign out another's person.
//
//   import { expect, test } from "./support/fixtures";
//   test.use({ signedIn: { role: "admin" } });
//   test("an admin sees the users", async ({ page, person }) => { … });
/* eslint-disable react-hooks/rules-of-hooks -- `use` here is Playwright's fixture callback, not React's hook. */
import { test as base, type BrowserContext } from "@playwright/test";
import { sessionConfig } from "../../lib/config";
import { sessionCookieAttributes } from "../../lib/sessions/cookie";
import {
  createApiPerson,
  createPerson,
  createSignedInPerson,
  deletePerson,
  type ApiPerson,
  type Person,
  type PersonOptions,
  type SignedInPerson,
} from "./people";

export { expect } from "@playwright/test";
export type { ApiPerson, Person, PersonOptions, SignedInPerson } from "./people";

export interface PeopleOptions {
  /** Signs this test's page in as a new person (`true` for a plain user); `person` is who. Off by default. */
  signedIn: boolean | PersonOptions;
}

export interface PeopleFixtures {
  /** A new person with an account and no session yet, for stories that sign in by form or API themselves. */
  newPerson: (options?: PersonOptions) => Promise<Person>;
  /** The person `test.use({ signedIn })` signed in. */
  person: SignedInPerson;
  /** Signs a new person in, in this test's browser context or the one given, and returns them. */
  signedInAs: (options?: PersonOptions, context?: BrowserContext) => Promise<SignedInPerson>;
  /** A new person's Bearer token pair, as POST /api/auth/token answers it. */
  apiSession: ApiPerson;
  /** A new person's Bearer token pair, with a role or an email of your choosing. */
  apiSessionFor: (options?: PersonOptions) => Promise<ApiPerson>;
}

interface InternalFixtures {
  /** Passes a person being made through, and deletes them when the test ends (unless the test already did). */
  deletedAfterTest: <P extends Person>(making: Promise<P>) => Promise<P>;
  /** The person `signedIn` asks for, made before the context is handed out; undefined when nobody is. */
  signedInPerson: SignedInPerson | undefined;
}

/** Puts the person's session cookie in the browser, with the attributes the server gives it. */
async function addSessionCookie(context: BrowserContext, person: SignedInPerson, baseURL: string | undefined) {
  if (!baseURL) throw new Error("Set use.baseURL (or E2E_BASE_URL): the session cookie belongs to the app's host.");
  const { httpOnly, secure, path, maxAge } = sessionCookieAttributes(sessionConfig());
  await context.addCookies([
    {
      name: person.cookieName,
      value: person.token,
      // No domain attribute on the server's cookie (a __Host- cookie may not have one): a host-only cookie.
      domain: new URL(baseURL).hostname,
      path,
      httpOnly,
      secure,
      sameSite: "Lax",
      expires: Math.floor(Date.now() / 1000) + maxAge,
    },
  ]);
}

export const test = base.extend<PeopleOptions & PeopleFixtures & InternalFixtures>({
  signedIn: [false, { option: true }],

  deletedAfterTest: [
    async ({}, use) => {
      const made: Promise<Person>[] = [];
      await use((making) => {
        made.push(making);
        return making;
      });
      for (const result of await Promise.allSettled(made)) {
        if (result.status === "fulfilled") await deletePerson(result.value);
      }
    },
    { box: true },
  ],

  signedInPerson: [
    async ({ signedIn, deletedAfterTest }, use) => {
      await use(signedIn ? await deletedAfterTest(createSignedInPerson(signedIn === true ? {} : signedIn)) : undefined);
    },
    { box: true },
  ],

  context: async ({ context, signedInPerson, baseURL }, use) => {
    if (signedInPerson) await addSessionCookie(context, signedInPerson, baseURL);
    await use(context);
  },

  person: async ({ signedInPerson }, use) => {
    if (!signedInPerson) throw new Error('`person` is whoever test.use({ signedIn: … }) signs in: set signedIn, or call signedInAs().');
    await use(signedInPerson);
  },

  newPerson: async ({ deletedAfterTest }, use) => {
    await use((options = {}) => deletedAfterTest(createPerson(options)));
  },

  signedInAs: async ({ context, deletedAfterTest, baseURL }, use) => {
    await use(async (options = {}, into = context) => {
      const person = await deletedAfterTest(createSignedInPerson(options));
      await addSessionCookie(into, person, baseURL);
      return person;
    });
  },

  apiSession: async ({ deletedAfterTest }, use) => {
    await use(await deletedAfterTest(createApiPerson()));
  },

  apiSessionFor: async ({ deletedAfterTest }, use) => {
    await use((options = {}) => deletedAfterTest(createApiPerson(options)));
  },
});
