// The data access layer (lib/sessions/data-access.server.ts) on its own, as a page would reach it if middleware never ran: it
// must verify the cookie's token itself and refuse what middleware would have refused, and more (an ended
// session). Real tokens, a real database; only Next.js's request context (next/headers) is played by the test.
// React's `cache` outside a React server render calls through on every call, so each getSession below reads
// the request as it is at that moment.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { sessionConfig } from "@/lib/config";
import {
  endCurrentSession,
  getCurrentUser,
  getSession,
  recordConfirmation,
  requireAdmin,
  requireRecentAuthentication,
  requireSession,
  requireUser,
  startSession,
} from "@/lib/sessions/data-access.server";
import { keyId, signSessionToken, verifySessionToken } from "@/lib/tokens/jwt";
import { createSession, endSessionsOf, findLiveSession, listActiveSessions } from "@/lib/sessions/store.server";
import { createUser, setRole, type User } from "@/lib/users/store.server";
import type { SignInMethod } from "@/lib/tokens/sign-in-methods";
import { db } from "@/lib/db/db.server";
import { signRaw, unsigned } from "../support/forge";
import { request } from "../support/request-context";
import { newEmail, PASSWORD } from "../support/people";

vi.mock("next/headers", async () => (await import("../support/request-context")).nextHeaders);

const config = sessionConfig();
const browser = { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", "x-tessera-client-address": "203.0.113.9" };
const newPerson = () => createUser(newEmail("dal"), PASSWORD);

/** Signs in through the data access layer, as the sign-in action does; returns the cookie's token. */
async function signIn(user: User, method: SignInMethod = "password"): Promise<string> {
  request.start({ headers: browser });
  await startSession(user, method);
  const token = request.cookies.get(config.cookieName);
  expect(token).toBeDefined();
  return token!;
}

/** A later request from a browser holding this cookie token. */
function nextRequestWith(token: string) {
  request.start({ cookies: { [config.cookieName]: token }, headers: browser });
}

const segments = (token: string) => token.split(".") as [string, string, string];
const claimsOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(segments(token)[1], "base64url").toString("utf8"));
const headerOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(segments(token)[0], "base64url").toString("utf8"));

/** Where requireSession's redirect goes: Next.js carries it in the error it throws. */
async function redirectOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => expect.fail("expected a redirect to sign-in"),
    (thrown: unknown) => thrown,
  );
  const digest = (error as { digest?: unknown }).digest;
  expect(typeof digest).toBe("string");
  const [code, , ...rest] = (digest as string).split(";");
  expect(code).toBe("NEXT_REDIRECT");
  return rest.slice(0, -2).join(";");
}

beforeEach(() => request.start());

describe("the data access layer, with no middleware in front of it", () => {
  it("knows the person whose live session the cookie names, on every later request", async () => {
    const ada = await newPerson();
    const token = await signIn(ada);
    const [session] = await listActiveSessions(ada.id);
    expect(session).toMatchObject({ kind: "browser", userAgent: browser["user-agent"], ipPrefix: "203.0.113.0/24" });

    nextRequestWith(token);
    expect(await getSession()).toMatchObject({ user: { id: ada.id, email: ada.email, role: "user" }, sessionId: session!.id });
    expect(await getCurrentUser()).toEqual({ ...ada, role: "user", passwordBreachedAt: null });
    expect(await requireUser("/account")).toEqual({ ...ada, role: "user", passwordBreachedAt: null });
    expect((await requireSession("/account")).sessionId).toBe(session!.id);
  });

  it("knows no one without a cookie, and sends them to sign in with the way back", async () => {
    expect(await getSession()).toBeNull();
    expect(await redirectOf(requireSession("/account/sessions"))).toBe("/sign-in?next=%2Faccount%2Fsessions");
  });

  it("requireUser, for a page that needs only the person, sends the signed-out to sign in as requireSession does", async () => {
    expect(await redirectOf(requireUser("/account/security"))).toBe("/sign-in?next=%2Faccount%2Fsecurity");
  });

  it("refuses a token whose signature is not the server's, though its session is live", async () => {
    const ada = await newPerson();
    const token = await signIn(ada);
    const [header, payload] = segments(token);

    // The same header and claims, signed with a key the server does not hold (under the server's kid).
    const otherKey = new Uint8Array(32).fill(13);
    const wrongKey = await signRaw(headerOf(token), JSON.stringify(claimsOf(token)), otherKey);
    // The claims changed (an admin now), the server's signature kept.
    const promoted = `${header}.${Buffer.from(JSON.stringify({ ...claimsOf(token), role: "admin" })).toString("base64url")}.${segments(token)[2]}`;
    // No signature at all.
    const stripped = `${header}.${payload}.`;

    for (const forged of [wrongKey, promoted, stripped]) {
      nextRequestWith(forged);
      expect(await getSession()).toBeNull();
      expect(await redirectOf(requireSession("/account"))).toBe("/sign-in?next=%2Faccount");
    }
    // The session itself was never in question: its real token still works.
    nextRequestWith(token);
    expect((await getSession())?.user.id).toBe(ada.id);
  });

  it("refuses an alg:none token naming a live session, in any casing", async () => {
    const ada = await newPerson();
    const token = await signIn(ada, "password+otp");
    await setRole(ada.id, "admin");
    const kid = await keyId(config.signingSecret);
    for (const alg of ["none", "None", "NONE", "nOnE"]) {
      for (const forged of [
        unsigned(alg, claimsOf(token)),
        `${Buffer.from(JSON.stringify({ alg, typ: "JWT", kid })).toString("base64url")}.${segments(token)[1]}.`,
      ]) {
        nextRequestWith(forged);
        expect(await getSession()).toBeNull();
        expect(await redirectOf(requireAdmin("/admin"))).toBe("/sign-in?next=%2Fadmin");
      }
    }
    nextRequestWith(token);
    expect((await requireAdmin("/admin")).user.id).toBe(ada.id);
  });

  it("refuses the token of a session that has ended, though it is signed and unexpired", async () => {
    const ada = await newPerson();
    const kept = await signIn(ada); // copied by someone before Ada signs out
    nextRequestWith(kept);
    expect(await endCurrentSession()).toBe(true);
    expect(request.cookies.has(config.cookieName)).toBe(false);

    await expect(verifySessionToken(kept, config)).resolves.toMatchObject({ userId: ada.id });
    nextRequestWith(kept);
    expect(await getSession()).toBeNull();
    expect(await redirectOf(requireSession("/account"))).toBe("/sign-in?next=%2Faccount");
    expect(await endCurrentSession()).toBe(false);

    // Ended by someone else (an admin, or "sign out everywhere"): the same.
    const phone = await signIn(ada);
    nextRequestWith(phone);
    expect((await getSession())?.user.id).toBe(ada.id);
    expect(await endSessionsOf(ada.id)).toBe(1);
    expect(await getSession()).toBeNull();
  });

  it("refuses an expired token of a session that is still live", async () => {
    const ada = await newPerson();
    // Signed in a day and a few seconds ago, the token never renewed: it expired just over the 5 s of skew ago.
    const signedInAt = new Date(Date.now() - (config.idleTimeoutSeconds + config.clockToleranceSeconds + 2) * 1000);
    const session = await createSession({ userId: ada.id, kind: "browser", client: { userAgent: null, ipPrefix: null }, now: signedInAt });
    const { token } = await signSessionToken(
      { userId: ada.id, sessionId: session.id, role: "user", authTime: session.createdAt },
      config,
      signedInAt,
    );
    expect(await findLiveSession(session.id)).not.toBeNull();
    await expect(verifySessionToken(token, config)).rejects.toMatchObject({ code: "expired" });

    nextRequestWith(token);
    expect(await getSession()).toBeNull();
    expect(await redirectOf(requireSession("/account"))).toBe("/sign-in?next=%2Faccount");
  });

  it("refuses a signed token that pairs one person's session with another person", async () => {
    const ada = await newPerson();
    const mallory = await newPerson();
    await signIn(ada);
    const [adasSession] = await listActiveSessions(ada.id);
    const { token } = await signSessionToken(
      { userId: mallory.id, sessionId: adasSession!.id, role: "user", authTime: adasSession!.createdAt },
      config,
    );
    nextRequestWith(token);
    expect(await getSession()).toBeNull();
  });

  it("opens admin pages only to a two-factor session, sending a one-factor admin to set up a second factor", async () => {
    const ada = await newPerson();
    await setRole(ada.id, "admin");
    nextRequestWith(await signIn(ada));
    expect(await redirectOf(requireAdmin("/admin"))).toBe("/account/security?required=admin&next=%2Fadmin");
    for (const method of ["password+otp", "password+recovery-code", "passkey", "passkey-synced"] as const) {
      nextRequestWith(await signIn(ada, method));
      expect((await requireAdmin("/admin")).method).toBe(method);
    }
  });

  it("lets a sensitive change through for ten minutes after authenticating, then asks to confirm and come back", async () => {
    const ada = await newPerson();
    const token = await signIn(ada);
    nextRequestWith(token);
    expect((await requireRecentAuthentication("/account/password")).user.id).toBe(ada.id);

    const elevenMinutesAgo = new Date(Date.now() - 11 * 60_000);
    await db.session.updateMany({ where: { userId: ada.id }, data: { authenticatedAt: elevenMinutesAgo } });
    nextRequestWith(token);
    expect(await redirectOf(requireRecentAuthentication("/account/password"))).toBe("/account/confirm?next=%2Faccount%2Fpassword");
  });

  it("a confirmation moves the authentication time, raises a password session to two factors, and never lowers one", async () => {
    const ada = await newPerson();
    const elevenMinutesAgo = new Date(Date.now() - 11 * 60_000);
    nextRequestWith(await signIn(ada));
    await db.session.updateMany({ where: { userId: ada.id }, data: { authenticatedAt: elevenMinutesAgo } });
    nextRequestWith(request.cookies.get(config.cookieName)!);
    await recordConfirmation((await getSession())!, "otp");
    const raised = request.cookies.get(config.cookieName)!;
    expect((await verifySessionToken(raised, config)).amr).toEqual(["pwd", "otp", "mfa"]);
    nextRequestWith(raised);
    expect(await requireRecentAuthentication("/account/password")).toMatchObject({ method: "password+otp" });

    await recordConfirmation((await getSession())!, "password");
    expect((await verifySessionToken(request.cookies.get(config.cookieName)!, config)).amr).toEqual(["pwd", "otp", "mfa"]);
    expect((await listActiveSessions(ada.id))[0]?.method).toBe("password+otp");
  });
});
