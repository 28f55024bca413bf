// Step-up with a code (app/account/confirm/code-actions.ts), through the data access layer with its real session
// rows: a right code moves the session's authentication time, makes it two-factor and sends the person back; a
// wrong, replayed or malformed code changes nothing. Only Next.js's request context (next/headers) is played.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { sessionConfig } from "@/lib/config";
import { db } from "@/lib/db/db.server";
import { decodeBase32 } from "@/lib/factors/base32";
import { codeForStep, timeStep } from "@/lib/factors/totp-codes";
import { beginTotpSetup, confirmTotpSetup, totpStatus } from "@/lib/factors/totp.server";
import { startSession } from "@/lib/sessions/data-access.server";
import { createUser } from "@/lib/users/store.server";
import { confirmWithCode } from "@/app/account/confirm/code-actions";
import { EMPTY_FORM } from "@/app/_lib/form-state";
import { request } from "../support/request-context";
import { newEmail, PASSWORD } from "../support/people";

vi.mock("next/headers", async () => (await import("../support/request-context")).nextHeaders);

const browser = { "user-agent": "vitest", "x-tessera-client-address": "203.0.113.9" };

async function signedInWithTotp() {
  const user = await createUser(newEmail("step-up"), PASSWORD);
  await beginTotpSetup(user.id);
  const status = await totpStatus(user);
  if (status.state !== "setting-up") throw new Error("no setup");
  const key = decodeBase32(status.secret)!;
  const past = new Date(Date.now() - 10 * 60_000);
  const setup = await confirmTotpSetup(user, codeForStep(key, timeStep(past)), past);
  if (!setup.ok) throw new Error(setup.reason);
  request.start({ headers: browser });
  await startSession(user, "password");
  const token = request.cookies.get(sessionConfig().cookieName)!;
  const session = await db.session.findFirstOrThrow({ where: { userId: user.id } });
  // Signed in an hour ago: past the step-up window.
  await db.session.update({ where: { id: session.id }, data: { authenticatedAt: new Date(Date.now() - 3600_000) } });
  const post = async (code: string) => {
    request.start({ cookies: { [sessionConfig().cookieName]: token }, headers: browser });
    const form = new FormData();
    form.set("code", code);
    form.set("next", "/account/password");
    return confirmWithCode(EMPTY_FORM, form).then(
      (state) => ({ state, redirect: null as string | null }),
      (error: { digest?: string }) => {
        if (typeof error.digest !== "string" || !error.digest.startsWith("NEXT_REDIRECT")) throw error;
        return { state: null, redirect: error.digest.split(";").slice(2, -2).join(";") };
      },
    );
  };
  return { sessionId: session.id, code: (offset = 0) => codeForStep(key, timeStep() + offset), post };
}

beforeEach(() => request.start());

describe("confirming who you are with a code (step-up)", () => {
  it("with a right code: the session becomes two-factor and recent, and the person goes back", async () => {
    const person = await signedInWithTotp();
    const before = new Date();
    expect(await person.post(person.code(0))).toEqual({ state: null, redirect: "/account/password" });
    const row = await db.session.findUniqueOrThrow({ where: { id: person.sessionId } });
    expect(row.method).toBe("password+otp");
    expect(row.authenticatedAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    // The cookie was signed again to say so.
    const claims = JSON.parse(Buffer.from(request.cookies.get(sessionConfig().cookieName)!.split(".")[1]!, "base64url").toString());
    expect(claims.amr).toEqual(["pwd", "otp", "mfa"]);
  });

  it("with a wrong, replayed or malformed code: an error on the field, nothing changed", async () => {
    const person = await signedInWithTotp();
    // The very code sent again, not one recomputed: by then a new 30-second step may have begun.
    const code = person.code(0);
    expect(await person.post(code)).toMatchObject({ redirect: "/account/password" });
    await db.session.update({ where: { id: person.sessionId }, data: { authenticatedAt: new Date(0), method: "password" } });
    const replayed = await person.post(code);
    expect(replayed.state?.errors.code).toContain("not right, or was already used");
    const malformed = await person.post("12a");
    expect(malformed.state?.errors.code).toBe("Enter the 6-digit code your authenticator app shows.");
    expect(malformed.state?.values.code).toBe("12a");
    expect(await db.session.findUniqueOrThrow({ where: { id: person.sessionId } })).toMatchObject({ method: "password", authenticatedAt: new Date(0) });
  });
});
