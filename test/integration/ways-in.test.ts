// The last way in (lib/ways-in): a password, a passkey or a provider connection must remain, whichever removal is
// asked for, through the real server actions of /account/security with real session rows. A refusal says why on the
// page and changes nothing: the passkey or the connection, its event and its mail all stay as they were.
import { describe, expect, it, vi } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { db } from "@/lib/db/db.server";
import { randomId } from "@/lib/ids";
import { registrationOptions, verifyRegistration } from "@/lib/passkeys/registration.server";
import { relyingParty } from "@/lib/passkeys/relying-party";
import { startSession } from "@/lib/sessions/data-access.server";
import { createUser, type User } from "@/lib/users/store.server";
import { LAST_WAY_IN_MESSAGE } from "@/lib/ways-in/messages";
import { countWaysIn, totalWaysIn } from "@/lib/ways-in/ways-in.server";
import { removePasskeyAction } from "@/app/account/security/passkey-actions";
import { disconnectProviderAction } from "@/app/account/security/provider-actions";
import { PasskeysSection } from "@/app/account/security/passkeys-section";
import { runAction } from "../support/actions";
import { Browser } from "../support/browsers";
import { SoftwareAuthenticator } from "../support/software-authenticator";
import { newAddress, newEmail, PASSWORD, uniqueId } from "../support/people";

vi.mock("next/headers", async () => (await import("../support/browsers")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const rp = relyingParty();
const REFUSED = "/account/security?notice=passkey-last-way-in";

/** A person signed in just now in their own browser: with a password, or without one (made through a provider). */
async function person({ password }: { password: boolean }) {
  const user = await createUser(newEmail("ways-in"), PASSWORD);
  if (!password) await db.user.update({ where: { id: user.id }, data: { passwordHash: null } });
  const browser = new Browser({ "user-agent": "vitest", "x-tessera-client-address": newAddress() });
  await browser.request(() => startSession(user));
  return { user, browser };
}

async function addPasskey(user: User): Promise<string> {
  const response = new SoftwareAuthenticator(rp.origin, rp.id).register(await registrationOptions(user));
  return (await verifyRegistration(user, response, `Key ${uniqueId()}`)).id;
}

async function connect(userId: string, provider: "google" | "github"): Promise<void> {
  const now = new Date();
  await db.providerAccount.create({
    data: { id: randomId(), userId, provider, issuer: `https://${provider}.example`, subject: uniqueId(), email: null, mailboxProven: true, createdAt: now, lastUsedAt: now },
  });
}

/** Everything a removal writes, to compare before and after a refusal. */
async function footprint(user: User) {
  return {
    ways: await countWaysIn(user.id),
    events: await db.event.count({ where: { userId: user.id } }),
    mails: await db.outboxMail.count({ where: { to: user.email } }),
  };
}

describe("removing a passkey", () => {
  it("is refused for the last passkey of an account with no password and no connection, saying why; nothing changes", async () => {
    const { user, browser } = await person({ password: false });
    const passkeyId = await addPasskey(user);
    const before = await footprint(user);
    expect(await browser.request(() => runAction(() => removePasskeyAction(passkeyId)))).toEqual({ state: null, redirect: REFUSED });
    expect(await footprint(user)).toEqual(before);
    expect(before.ways).toEqual({ password: false, passkeys: 1, connections: 0 });
    // The page it lands on says why, in the passkeys section.
    const section = renderToStaticMarkup(await PasskeysSection({ session: { user } as never, notice: "passkey-last-way-in" }));
    expect(section).toContain(LAST_WAY_IN_MESSAGE);
  });

  it("removes a passkey while another, a password or a connection remains", async () => {
    const { user, browser } = await person({ password: false });
    const [first, second] = [await addPasskey(user), await addPasskey(user)];
    expect(await browser.request(() => runAction(() => removePasskeyAction(first)))).toEqual({ state: undefined, redirect: null });
    expect(await browser.request(() => runAction(() => removePasskeyAction(second)))).toMatchObject({ redirect: REFUSED });
    await connect(user.id, "github");
    expect(await browser.request(() => runAction(() => removePasskeyAction(second)))).toMatchObject({ redirect: null });
    expect(await countWaysIn(user.id)).toEqual({ password: false, passkeys: 0, connections: 1 });

    const withPassword = await person({ password: true });
    const only = await addPasskey(withPassword.user);
    expect(await withPassword.browser.request(() => runAction(() => removePasskeyAction(only)))).toMatchObject({ redirect: null });
    expect(await db.passkey.count({ where: { userId: withPassword.user.id } })).toBe(0);
  });

  it("of two passkeys removed at once, in two tabs, one stays", async () => {
    const { user, browser } = await person({ password: false });
    const ids = [await addPasskey(user), await addPasskey(user)];
    const outcomes = await Promise.all(ids.map((id) => browser.request(() => runAction(() => removePasskeyAction(id)))));
    expect(outcomes.filter((outcome) => outcome.redirect === REFUSED)).toHaveLength(1);
    expect(await db.passkey.count({ where: { userId: user.id } })).toBe(1);
  });
});

describe("one rule for every removal", () => {
  it("a passkey removed and the only connection disconnected at once: one of them is refused", async () => {
    const { user, browser } = await person({ password: false });
    const passkeyId = await addPasskey(user);
    await connect(user.id, "google");
    const [removed, disconnected] = await Promise.all([
      browser.request(() => runAction(() => removePasskeyAction(passkeyId))),
      browser.request(() => runAction(() => disconnectProviderAction("google"))),
    ]);
    const refusals = [removed.redirect === REFUSED, disconnected.redirect === "/account/security?provider=google&notice=last-way-in"];
    expect(refusals.filter(Boolean)).toHaveLength(1);
    expect(totalWaysIn(await countWaysIn(user.id))).toBe(1);
  });

  it("disconnecting the last connection is refused over the action, saying why; with a passkey left it goes", async () => {
    const { user, browser } = await person({ password: false });
    await connect(user.id, "google");
    const before = await footprint(user);
    expect(await browser.request(() => runAction(() => disconnectProviderAction("google")))).toEqual({
      state: null,
      redirect: "/account/security?provider=google&notice=last-way-in",
    });
    expect(await footprint(user)).toEqual(before);
    await addPasskey(user);
    expect(await browser.request(() => runAction(() => disconnectProviderAction("google")))).toMatchObject({
      redirect: "/account/security?provider=google&notice=disconnected",
    });
    expect(await countWaysIn(user.id)).toEqual({ password: false, passkeys: 1, connections: 0 });
  });
});

