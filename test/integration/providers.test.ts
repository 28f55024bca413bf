// Sign-in with another account over the real route handlers (POST /auth/<provider>, GET /auth/callback/<provider>),
// against the providers the harness starts (test/support/global-setup.ts): the rogue OpenID provider as Google
// (honest unless a request carries `test_next`), and the GitHub stub. Every attack from the issue is sent as a
// browser or an attacker would send it, and each test checks the database: what a refused callback leaves is what
// was there before.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { RogueNext } from "../../scripts/oidc-rogue-provider.mjs";
import { sessionConfig } from "@/lib/config";
import { db } from "@/lib/db/db.server";
import { codeForStep, timeStep } from "@/lib/factors/totp-codes";
import { completeWithTotp } from "@/lib/factors/pending-sign-ins.server";
import { beginTotpSetup, confirmTotpSetup, totpStatus } from "@/lib/factors/totp.server";
import { decodeBase32 } from "@/lib/factors/base32";
import { disconnectProvider } from "@/lib/providers/accounts.server";
import { resetPassword } from "@/lib/recovery/password-reset.server";
import { findLiveSession } from "@/lib/sessions/store.server";
import { startSession } from "@/lib/sessions/data-access.server";
import { issueOneTimeToken } from "@/lib/tokens/one-time-tokens.server";
import { createUser, type User } from "@/lib/users/store.server";
import { verifySessionToken } from "@/lib/tokens/jwt";
import type { Browser } from "../support/browsers";
import { newEmail, PASSWORD, uniqueId } from "../support/people";
import { APP, atRogue, callback, newBrowser, rogueUser, start, TX_COOKIE, viaGoogle } from "../support/provider-flow";

vi.mock("next/headers", async () => (await import("../support/browsers")).nextHeaders);
// The rogue provider's slow answer (2.5 s) must outlast the timeout.
vi.stubEnv("PROVIDER_TIMEOUT_SECONDS", "1");

const SESSION_COOKIE = sessionConfig().cookieName;
const GITHUB = () => process.env.E2E_GITHUB_URL!;

/** Signs in on the GitHub stub's page: the callback's address. */
async function atGitHub(authorizationUrl: URL, login: string): Promise<string> {
  const page = await (await fetch(authorizationUrl)).text();
  const authorization = /name="authorization" value="([^"]+)"/.exec(page)![1]!;
  const response = await fetch(`${GITHUB()}/session`, {
    method: "POST",
    body: new URLSearchParams({ authorization, login, password: PASSWORD }),
    redirect: "manual",
  });
  expect(response.status).toBe(302);
  return response.headers.get("location")!;
}

/** Everything a provider sign-in could have written for this email or identity. */
async function footprint(email: string, subject: string) {
  const user = await db.user.findUnique({ where: { email }, select: { id: true, passwordHash: true, emailVerifiedAt: true } });
  const userId = user?.id ?? "none";
  return {
    user,
    links: await db.providerAccount.count({ where: { OR: [{ subject }, { userId }] } }),
    sessions: await db.session.count({ where: { userId, revokedAt: null } }),
    events: await db.event.count({ where: { userId } }),
    mails: await db.outboxMail.count({ where: { to: email } }),
  };
}

async function expectFailurePage(response: Response, status: number, sentence: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("text/html");
  expect(await response.text()).toContain(sentence.replaceAll("’", "’"));
}

const EXPIRED = "That sign-in took too long or was already used. Try again.";

async function signedInUserOf(browser: Browser): Promise<string | null> {
  const token = browser.cookies.get(SESSION_COOKIE);
  if (!token) return null;
  const claims = await verifySessionToken(token, sessionConfig());
  return (await findLiveSession(claims.sessionId))?.user.id ?? null;
}

/** A person with a password, signed in just now in `browser`. */
async function signedInPerson(browser: Browser): Promise<User> {
  const user = await createUser(newEmail("person"), PASSWORD);
  await db.user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() } });
  await browser.request(() => startSession(user));
  return user;
}

beforeAll(() => {
  expect(process.env.GOOGLE_ISSUER, "the harness starts the providers").toBeTruthy();
});

describe("a new person continues with a provider", () => {
  it("gets an account with no password when the provider vouches for the email, and a session that says how", async () => {
    const browser = newBrowser();
    const person = rogueUser();
    const response = await viaGoogle(browser, person);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/account");
    const after = await footprint(person.email, person.sub);
    expect(after.user?.passwordHash).toBeNull();
    expect(after.user?.emailVerifiedAt).not.toBeNull();
    expect(after.links).toBe(1);
    const link = await db.providerAccount.findFirstOrThrow({ where: { subject: person.sub } });
    expect(link).toMatchObject({ provider: "google", issuer: process.env.GOOGLE_ISSUER, email: person.email, mailboxProven: true });
    expect(await signedInUserOf(browser)).toBe(after.user!.id);
    const session = await db.session.findFirstOrThrow({ where: { userId: after.user!.id } });
    expect(session.method).toBe("provider:google");
    // The transaction's cookie is cleared on the callback, and its row is gone.
    expect(browser.cookies.has(TX_COOKIE)).toBe(false);
    expect(browser.cookieWrites.find((write) => write.name === TX_COOKIE)?.attributes).toMatchObject({
      path: "/auth/callback/google",
      httpOnly: true,
      sameSite: "lax",
    });
  });

  it("signs in to the same account the next time, by issuer and subject, whatever email it gives now", async () => {
    const person = rogueUser();
    await viaGoogle(newBrowser(), person);
    const browser = newBrowser();
    const changed = newEmail("changed");
    const response = await viaGoogle(browser, { ...person, email: changed });
    expect(response.status).toBe(303);
    const owner = await db.providerAccount.findFirstOrThrow({ where: { subject: person.sub }, select: { userId: true } });
    expect(await signedInUserOf(browser)).toBe(owner.userId);
    expect((await db.user.findUniqueOrThrow({ where: { id: owner.userId } })).email).toBe(person.email);
    expect(await db.user.count({ where: { email: changed } })).toBe(0);
  });

  it("gets an unconfirmed account and the confirmation mail, and no session, when the provider does not vouch for the email", async () => {
    const browser = newBrowser();
    const person = rogueUser({ emailVerified: false });
    const response = await viaGoogle(browser, person);
    expect(response.headers.get("location")).toBe("/sign-in?provider=google&notice=confirm-email&next=%2Faccount");
    const after = await footprint(person.email, person.sub);
    expect(after.user?.emailVerifiedAt).toBeNull();
    expect(after.sessions).toBe(0);
    expect(after.mails).toBe(1);
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
    // Continuing again before the link is opened is refused the same way.
    const again = await viaGoogle(newBrowser(), person);
    expect(again.headers.get("location")).toContain("notice=confirm-email");
    expect((await footprint(person.email, person.sub)).sessions).toBe(0);
  });

  it("keeps `next` through the same return-path check as the password form, and refuses another origin's", async () => {
    const kept = newBrowser();
    expect((await viaGoogle(kept, rogueUser(), { form: { next: "/account/sessions" } })).headers.get("location")).toBe("/account/sessions");
    for (const next of ["//evil.example/", "https://evil.example/", "/\\evil.example", "/%2f%2fevil.example"]) {
      const browser = newBrowser();
      const response = await viaGoogle(browser, rogueUser(), { form: { next } });
      expect(response.headers.get("location"), next).toBe("/account");
    }
  });
});

describe("linking never goes by email", () => {
  it("refuses an identity whose verified email a confirmed account has: told to sign in and connect, nothing changed", async () => {
    const owner = await createUser(newEmail("owner"), PASSWORD);
    await db.user.update({ where: { id: owner.id }, data: { emailVerifiedAt: new Date() } });
    const person = rogueUser({ email: owner.email });
    const before = await footprint(owner.email, person.sub);
    const response = await viaGoogle(newBrowser(), person);
    expect(response.headers.get("location")).toBe("/sign-in?provider=google&notice=email-taken&next=%2Faccount");
    expect(await footprint(owner.email, person.sub)).toEqual(before);
  });

  it("refuses an identity whose unverified email matches an account: no link, nothing changed", async () => {
    const owner = await createUser(newEmail("unverified-match"), PASSWORD);
    const person = rogueUser({ email: owner.email, emailVerified: false });
    const before = await footprint(owner.email, person.sub);
    const response = await viaGoogle(newBrowser(), person);
    expect(response.headers.get("location")).toContain("notice=email-taken");
    expect(await footprint(owner.email, person.sub)).toEqual(before);
  });

  it("clears an unconfirmed password account when a provider vouches for its email: whoever made it is out, nothing is linked", async () => {
    // Someone signed up first with another's address and never confirmed it (a pre-hijack).
    const squatter = newBrowser();
    const account = await createUser(newEmail("pre-hijacked"), PASSWORD);
    await squatter.request(() => startSession(account));
    const person = rogueUser({ email: account.email });
    const response = await viaGoogle(newBrowser(), person);
    expect(response.headers.get("location")).toContain("notice=email-taken");
    const after = await footprint(account.email, person.sub);
    expect(after.user?.passwordHash).toBeNull();
    expect(after.user?.emailVerifiedAt).toBeNull();
    expect(after.sessions).toBe(0);
    expect(await db.providerAccount.count({ where: { subject: person.sub } })).toBe(0);
    expect(await signedInUserOf(squatter)).toBeNull();
    expect(await db.event.count({ where: { userId: account.id, kind: "unconfirmed-account-cleared" } })).toBe(1);
  });

  it("a password reset disconnects the providers connected without the mailbox proven", async () => {
    const person = rogueUser({ emailVerified: false });
    await viaGoogle(newBrowser(), person);
    const user = await db.user.findUniqueOrThrow({ where: { email: person.email } });
    const { token, insert } = issueOneTimeToken({ purpose: "password-reset", userId: user.id, email: user.email }, 600);
    await insert;
    await newBrowser().request(async () => expect(await resetPassword(token, "a brand new long passphrase")).toEqual({ ok: true }));
    expect(await db.providerAccount.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("connecting and disconnecting", () => {
  it("connects from a recently confirmed session, then signs in with it after signing out", async () => {
    const browser = newBrowser();
    const user = await signedInPerson(browser);
    const person = rogueUser({ email: newEmail("other-address") });
    const response = await viaGoogle(browser, person, { form: { intent: "connect" } });
    expect(response.headers.get("location")).toBe("/account/security?provider=google&notice=connected");
    const link = await db.providerAccount.findFirstOrThrow({ where: { subject: person.sub } });
    expect(link).toMatchObject({ userId: user.id, mailboxProven: true });
    expect(await db.event.count({ where: { userId: user.id, kind: "provider-connected" } })).toBe(1);
    // The owner hears of it at the account's address, not the provider's: an intruder's connection would outlive a reset.
    expect(await db.outboxMail.findMany({ where: { subject: { contains: "Google was connected" } }, select: { to: true, subject: true } })).toContainEqual({
      to: user.email,
      subject: "Google was connected to your Tessera account",
    });
    expect(await db.outboxMail.count({ where: { to: person.email } })).toBe(0);
    const later = newBrowser();
    await viaGoogle(later, person);
    expect(await signedInUserOf(later)).toBe(user.id);
  });

  it("sends a session past the step-up window to confirm first, and connects nothing", async () => {
    const browser = newBrowser();
    const user = await signedInPerson(browser);
    await db.session.updateMany({ where: { userId: user.id }, data: { authenticatedAt: new Date(Date.now() - 3600_000) } });
    const { response } = await start(browser, "google", { intent: "connect" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/account/confirm?next=%2Faccount%2Fsecurity");
    expect(await db.providerAccount.count({ where: { userId: user.id } })).toBe(0);
  });

  it("refuses an identity connected to another account", async () => {
    const person = rogueUser();
    await viaGoogle(newBrowser(), person);
    const browser = newBrowser();
    const user = await signedInPerson(browser);
    const response = await viaGoogle(browser, person, { form: { intent: "connect" } });
    expect(response.headers.get("location")).toContain("notice=connected-elsewhere");
    expect(await db.providerAccount.count({ where: { userId: user.id } })).toBe(0);
  });

  it("refuses to disconnect the last way in, and disconnects when a password remains", async () => {
    const person = rogueUser();
    await viaGoogle(newBrowser(), person);
    const { userId } = await db.providerAccount.findFirstOrThrow({ where: { subject: person.sub } });
    const client = { userAgent: null, ipPrefix: null };
    expect(await disconnectProvider(userId, "google", client)).toBe("last-way-in");
    expect(await db.providerAccount.count({ where: { userId } })).toBe(1);
    const browser = newBrowser();
    const user = await signedInPerson(browser);
    await viaGoogle(browser, rogueUser(), { form: { intent: "connect" } });
    expect(await disconnectProvider(user.id, "google", client)).toBe("disconnected");
    expect(await db.providerAccount.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.event.count({ where: { userId: user.id, kind: "provider-disconnected" } })).toBe(1);
    expect(await db.outboxMail.count({ where: { to: user.email, subject: "Google was disconnected from your Tessera account" } })).toBe(1);
    // A refused removal tells no one.
    expect(await db.outboxMail.count({ where: { to: person.email, subject: { contains: "disconnected" } } })).toBe(0);
  });
});

describe("a provider is one factor", () => {
  it("asks an account with an authenticator app for its code after the provider, then records both", async () => {
    const browser = newBrowser();
    const user = await signedInPerson(browser);
    const person = rogueUser();
    await viaGoogle(browser, person, { form: { intent: "connect" } });
    expect(await beginTotpSetup(user.id)).toBe(true);
    const status = await totpStatus(user);
    if (status.state !== "setting-up") throw new Error("no setup");
    const key = decodeBase32(status.secret)!;
    const past = new Date(Date.now() - 10 * 60_000);
    expect((await confirmTotpSetup(user, codeForStep(key, timeStep(past)), past)).ok).toBe(true);

    const later = newBrowser();
    const sessionsBefore = await db.session.count({ where: { userId: user.id } });
    const response = await viaGoogle(later, person);
    expect(response.headers.get("location")).toBe("/sign-in/verify");
    expect(later.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(sessionsBefore);
    const pending = later.cookies.get("pending-sign-in");
    const done = await later.request(() => completeWithTotp(pending, codeForStep(key, timeStep(new Date())), { userAgent: null, ipPrefix: null }));
    expect(done).toMatchObject({ ok: true, method: "provider:google+otp" });
  });
});

describe("GitHub", () => {
  async function gitHubUser(emails: { email: string; primary?: boolean; verified?: boolean }[]) {
    const response = await fetch(`${GITHUB()}/__test/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login: `octo-${uniqueId()}`, password: PASSWORD, emails }),
    });
    return (await response.json()) as { login: string; id: number };
  }

  async function viaGitHub(browser: Browser, login: string) {
    const { authorizationUrl } = await start(browser, "github");
    return callback(browser, await atGitHub(authorizationUrl!, login));
  }

  it("signs up with the verified primary email, keyed by GitHub's numeric id", async () => {
    const email = newEmail("octo");
    const octo = await gitHubUser([{ email: newEmail("secondary"), verified: true }, { email, primary: true, verified: true }]);
    const browser = newBrowser();
    const response = await viaGitHub(browser, octo.login);
    expect(response.headers.get("location")).toBe("/account");
    const link = await db.providerAccount.findFirstOrThrow({ where: { subject: String(octo.id) } });
    expect(link).toMatchObject({ provider: "github", issuer: process.env.GITHUB_URL, email, mailboxProven: true });
    expect((await db.session.findFirstOrThrow({ where: { userId: link.userId } })).method).toBe("provider:github");
  });

  it("ignores verified addresses that are not primary: an unverified primary makes an unconfirmed account", async () => {
    const primary = newEmail("octo-unverified");
    const octo = await gitHubUser([{ email: newEmail("verified-secondary"), verified: true }, { email: primary, primary: true, verified: false }]);
    const response = await viaGitHub(newBrowser(), octo.login);
    expect(response.headers.get("location")).toContain("notice=confirm-email");
    expect((await footprint(primary, String(octo.id))).sessions).toBe(0);
  });

  it("does not link by a verified secondary address that an account has", async () => {
    const owner = await createUser(newEmail("secondary-owner"), PASSWORD);
    const octo = await gitHubUser([{ email: owner.email, verified: true }, { email: newEmail("octo-primary"), primary: true, verified: true }]);
    const before = await footprint(owner.email, String(octo.id));
    await viaGitHub(newBrowser(), octo.login);
    expect(await db.providerAccount.count({ where: { userId: owner.id } })).toBe(0);
    expect((await footprint(owner.email, String(octo.id))).user).toEqual(before.user);
  });
});

describe("attacks on the callback change nothing", () => {
  it("refuses a callback without the browser's transaction (login CSRF: an attacker's code in a victim's browser)", async () => {
    const attacker = newBrowser();
    const person = rogueUser();
    const { authorizationUrl } = await start(attacker, "google");
    const location = await atRogue(authorizationUrl!, { user: person });
    const victim = newBrowser();
    await expectFailurePage(await callback(victim, location), 400, EXPIRED);
    expect(await footprint(person.email, person.sub)).toMatchObject({ user: null, links: 0 });
    expect(victim.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("refuses a callback whose state is another browser's", async () => {
    const attacker = newBrowser();
    const victim = newBrowser();
    const attackerPerson = rogueUser();
    const { authorizationUrl: attackerUrl } = await start(attacker, "google");
    const attackerLocation = await atRogue(attackerUrl!, { user: attackerPerson });
    await start(victim, "google");
    await expectFailurePage(await callback(victim, attackerLocation), 400, EXPIRED);
    expect(await footprint(attackerPerson.email, attackerPerson.sub)).toMatchObject({ user: null, links: 0 });
    expect(victim.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("refuses a code used twice: the replayed callback gets the expired page", async () => {
    const browser = newBrowser();
    const person = rogueUser();
    const { authorizationUrl, sealed } = await start(browser, "google");
    const location = await atRogue(authorizationUrl!, { user: person });
    expect((await callback(browser, location)).status).toBe(303);
    const replay = newBrowser();
    replay.cookies.set(TX_COOKIE, sealed!);
    const before = await footprint(person.email, person.sub);
    const log = vi.spyOn(console, "log");
    await expectFailurePage(await callback(replay, location), 400, EXPIRED);
    // Refused by the spent row, before the provider is asked (which would refuse its used code too).
    expect(log.mock.calls.some(([line]) => String(line).includes("the transaction was already spent"))).toBe(true);
    log.mockRestore();
    expect(await footprint(person.email, person.sub)).toEqual(before);
    expect(before.sessions).toBe(1);
  });

  it("of 20 parallel callbacks with one code and one cookie, one signs in", async () => {
    const browser = newBrowser();
    const person = rogueUser();
    const { authorizationUrl, sealed } = await start(browser, "google");
    const location = await atRogue(authorizationUrl!, { user: person });
    const tabs = Array.from({ length: 20 }, () => {
      const tab = newBrowser();
      tab.cookies.set(TX_COOKIE, sealed!);
      return tab;
    });
    const log = vi.spyOn(console, "log");
    const responses = await Promise.all(tabs.map((tab) => callback(tab, location)));
    // Refused by Tessera's own single-use row before the provider was asked, not only by the provider's single-use code.
    const spent = log.mock.calls.filter(([line]) => String(line).includes("the transaction was already spent"));
    log.mockRestore();
    expect(spent).toHaveLength(19);
    expect(responses.filter((response) => response.status === 303)).toHaveLength(1);
    expect(responses.filter((response) => response.status === 400)).toHaveLength(19);
    const after = await footprint(person.email, person.sub);
    expect(after.links).toBe(1);
    expect(await db.session.count({ where: { userId: after.user!.id } })).toBe(1);
    expect(tabs.filter((tab) => tab.cookies.has(SESSION_COOKIE))).toHaveLength(1);
  });

  const SPOILT: NonNullable<RogueNext["idToken"]>[] = ["nonce-mismatch", "alg-none", "other-key", "other-aud", "other-iss", "expired", "no-nonce"];
  for (const idToken of SPOILT) {
    it(`refuses an ID token spoilt as ${idToken}`, async () => {
      const browser = newBrowser();
      const person = rogueUser();
      const response = await viaGoogle(browser, person, { next: { idToken } });
      await expectFailurePage(response, 400, "Google’s answer could not be verified");
      expect(await footprint(person.email, person.sub)).toMatchObject({ user: null, links: 0 });
      expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
    });
  }

  it("refuses an authorization response with another issuer's iss, or the provider leaving it out (RFC 9207)", async () => {
    for (const authorizationResponse of ["other-iss", "no-iss"] as const) {
      const browser = newBrowser();
      const person = rogueUser();
      const response = await viaGoogle(browser, person, { next: { authorizationResponse } });
      await expectFailurePage(response, 400, "Google’s answer could not be verified");
      expect(await footprint(person.email, person.sub)).toMatchObject({ user: null, links: 0 });
    }
  });

  it("refuses an authorization response without iss where discovery says the provider sends it (RFC 9207)", async () => {
    const browser = newBrowser();
    const person = rogueUser();
    const { authorizationUrl } = await start(browser, "google");
    const location = new URL(await atRogue(authorizationUrl!, { user: person }));
    // Taken out on the way, as a mix-up attacker relaying another provider's answer would have it.
    location.searchParams.delete("iss");
    await expectFailurePage(await callback(browser, location), 400, "Google’s answer could not be verified");
    expect(await footprint(person.email, person.sub)).toMatchObject({ user: null, links: 0 });
  });

  it("refuses provider B's answer at provider A's callback (mix-up), and A's cookie at B's", async () => {
    const octoEmail = newEmail("mixup");
    await fetch(`${GITHUB()}/__test/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login: `mix-${uniqueId()}`, password: PASSWORD, emails: [{ email: octoEmail, primary: true }] }),
    }).then(async (response) => {
      const octo = (await response.json()) as { login: string; id: number };
      const browser = newBrowser();
      const { authorizationUrl: gitHubUrl } = await start(browser, "github");
      const gitHubLocation = new URL(await atGitHub(gitHubUrl!, octo.login));
      // GitHub's code and state delivered to Google's callback, with this browser's cookie for GitHub.
      const atGoogle = new URL(`/auth/callback/google${gitHubLocation.search}`, APP);
      await expectFailurePage(await callback(browser, atGoogle), 400, EXPIRED);
      // And a Google transaction's cookie presented at GitHub's callback: sealed to Google, it does not open.
      const other = newBrowser();
      const { sealed: googleSealed } = await start(other, "google");
      other.cookies.set(TX_COOKIE, googleSealed!);
      await expectFailurePage(await callback(other, gitHubLocation), 400, EXPIRED);
      expect(await footprint(octoEmail, String(octo.id))).toMatchObject({ user: null, links: 0 });
    });
  });

  it("answers an oversized or malformed query with the page and a 400, spending nothing", async () => {
    const browser = newBrowser();
    const person = rogueUser();
    const { authorizationUrl, sealed } = await start(browser, "google");
    const location = new URL(await atRogue(authorizationUrl!, { user: person }));
    const attempts = [
      `${location.href}&padding=${"x".repeat(5000)}`,
      `${location.href}&state=${location.searchParams.get("state")}`,
      `${APP}/auth/callback/google?state=${location.searchParams.get("state")}`,
      `${APP}/auth/callback/google?%zz=1&code=%E0%A4%A`,
    ];
    for (const attempt of attempts) {
      const tab = newBrowser();
      tab.cookies.set(TX_COOKIE, sealed!);
      const response = await callback(tab, attempt);
      expect(response.status, attempt.slice(0, 120)).toBe(400);
    }
    expect(await footprint(person.email, person.sub)).toMatchObject({ user: null, links: 0 });
    // The transaction was never spent: the real answer still signs in.
    expect((await callback(browser, location)).status).toBe(303);
  });

  it("says the person cancelled, and changes nothing", async () => {
    const browser = newBrowser();
    const person = rogueUser();
    await expectFailurePage(await viaGoogle(browser, person, { next: { authorizationResponse: "error:access_denied" } }), 200, "Sign-in with Google was cancelled.");
    expect(await footprint(person.email, person.sub)).toMatchObject({ user: null, links: 0 });
  });

  it("says the provider is down when its token endpoint fails or outlasts the timeout", async () => {
    for (const next of [{ tokenStatus: 503 }, { delayMs: 2500 }]) {
      const browser = newBrowser();
      const person = rogueUser();
      await expectFailurePage(await viaGoogle(browser, person, { next }), 200, "Google could not be reached.");
      expect(await footprint(person.email, person.sub)).toMatchObject({ user: null, links: 0 });
    }
  });

  it("refuses a start posted for a provider that is not configured, or with an unknown intent", async () => {
    expect((await start(newBrowser(), "facebook")).response.status).toBe(404);
    expect((await start(newBrowser(), "google", { intent: "steal" })).response.status).toBe(400);
  });
});
