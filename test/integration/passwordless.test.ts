// An account made through a provider has no password. Over the real server actions and pages of /account: it sets
// one through the reset mail (never by typing a "current password" it does not have), and changes its email,
// turns its authenticator app off and deletes itself with the step-up alone, which a stale session is sent to first.
import { describe, expect, it, vi } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { db } from "@/lib/db/db.server";
import { decodeBase32 } from "@/lib/factors/base32";
import { codeForStep, timeStep } from "@/lib/factors/totp-codes";
import { beginTotpSetup, confirmTotpSetup, hasTotp, totpStatus } from "@/lib/factors/totp.server";
import { resetPassword } from "@/lib/recovery/password-reset.server";
import { startSession } from "@/lib/sessions/data-access.server";
import { createUser, hasPassword, type User } from "@/lib/users/store.server";
import { changeEmail, changePassword, deleteAccount, mailPasswordLink } from "@/app/account/actions";
import { turnOffTotpAction } from "@/app/account/security/totp-actions";
import ChangePasswordPage from "@/app/account/password/page";
import ChangeEmailPage from "@/app/account/email/page";
import DeleteAccountPage from "@/app/account/delete/page";
import { EMPTY_FORM } from "@/app/_lib/form-state";
import { runAction } from "../support/actions";
import { Browser } from "../support/browsers";
import { newAddress, newEmail, PASSWORD } from "../support/people";

vi.mock("next/headers", async () => (await import("../support/browsers")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

/** A person with no password, signed in `minutesAgo` ago in their own browser. */
async function passwordless(minutesAgo = 0) {
  const user = await createUser(newEmail("passwordless"), PASSWORD);
  await db.user.update({ where: { id: user.id }, data: { passwordHash: null, emailVerifiedAt: new Date() } });
  const browser = new Browser({ "user-agent": "vitest", "x-tessera-client-address": newAddress() });
  await browser.request(() => startSession(user));
  await db.session.updateMany({ where: { userId: user.id }, data: { authenticatedAt: new Date(Date.now() - minutesAgo * 60_000) } });
  const act = <T,>(action: () => Promise<T>) => browser.request(() => runAction(action));
  const page = async (component: (props: never) => Promise<React.ReactNode>) =>
    renderToStaticMarkup(await browser.request(() => component({ searchParams: Promise.resolve({}) } as never)));
  return { user, act, page };
}

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

async function withTotp(user: User) {
  await beginTotpSetup(user.id);
  const status = await totpStatus(user);
  if (status.state !== "setting-up") throw new Error("no setup");
  const key = decodeBase32(status.secret)!;
  const past = new Date(Date.now() - 10 * 60_000);
  expect((await confirmTotpSetup(user, codeForStep(key, timeStep(past)), past)).ok).toBe(true);
  return () => codeForStep(key, timeStep());
}

describe("an account with no password", () => {
  it("is offered the reset mail on /account/password, not a current-password form, and sets a password through it", async () => {
    const { user, act, page } = await passwordless();
    const html = await page(ChangePasswordPage);
    expect(html).toContain("Mail me a link to set a password");
    expect(html).not.toContain("Current password");

    const sent = await act(() => mailPasswordLink(EMPTY_FORM));
    expect(sent.state?.notice).toBe(`A link to set your password is on its way to ${user.email}.`);
    const mail = await db.outboxMail.findFirstOrThrow({ where: { to: user.email }, orderBy: { createdAt: "desc" } });
    const token = /reset-password\?token=([\w-]+)/.exec(mail.text)![1]!;
    expect(await resetPassword(token, "a brand new long passphrase")).toEqual({ ok: true });
    expect(await hasPassword(user.id)).toBe(true);
  });

  it("cannot set a password by the change form, whatever it types as the current one", async () => {
    const { user, act } = await passwordless();
    const outcome = await act(() => changePassword(EMPTY_FORM, form({ currentPassword: "", newPassword: "a brand new long passphrase" })));
    expect(outcome.state?.errors.currentPassword).toBeTruthy();
    expect(await hasPassword(user.id)).toBe(false);
  });

  it("changes its email and deletes itself with the step-up alone: no password field on either page", async () => {
    const { user, act, page } = await passwordless();
    for (const component of [ChangeEmailPage, DeleteAccountPage]) expect(await page(component)).not.toContain('type="password"');
    const newAddress = newEmail("moved");
    const changed = await act(() => changeEmail(EMPTY_FORM, form({ newEmail: newAddress })));
    expect(changed.state?.notice).toContain(`A link to confirm ${newAddress}`);
    expect(await db.outboxMail.count({ where: { to: newAddress } })).toBe(1);
    expect(await act(() => deleteAccount(EMPTY_FORM, form({})))).toEqual({ state: null, redirect: "/" });
    expect(await db.user.count({ where: { id: user.id } })).toBe(0);
  });

  it("past the step-up window, is sent to confirm who it is first, and nothing changes", async () => {
    const { user, act } = await passwordless(60);
    const code = await withTotp(user);
    expect(await act(() => deleteAccount(EMPTY_FORM, form({})))).toMatchObject({ redirect: "/account/confirm?next=%2Faccount%2Fdelete" });
    expect(await act(() => turnOffTotpAction(EMPTY_FORM, form({ code: code() })))).toMatchObject({
      redirect: "/account/confirm?next=%2Faccount%2Fsecurity",
    });
    expect(await hasTotp(user.id)).toBe(true);
    expect(await db.user.count({ where: { id: user.id } })).toBe(1);
  });

  it("turns its authenticator app off with a code alone, in a recent session", async () => {
    const { user, act } = await passwordless();
    const code = await withTotp(user);
    expect((await act(() => turnOffTotpAction(EMPTY_FORM, form({ code: code() })))).state?.notice).toContain("authenticator app is off");
    expect(await hasTotp(user.id)).toBe(false);
  });
});
