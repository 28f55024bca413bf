// Passkeys on the real database, with real WebAuthn ceremonies from a software authenticator
// (test/support/software-authenticator.ts): challenges spent once under a burst, expiring and bound to their
// purpose and person; a credential owned by one account only; sign-in, step-up, rename and remove of one's own.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/db.server";
import { signInOptions, stepUpOptions, verifySignIn, verifyStepUp } from "@/lib/passkeys/authentication.server";
import { CHALLENGE_TTL_SECONDS, issueChallenge, purgeExpiredChallenges, spendChallenge } from "@/lib/passkeys/challenges.server";
import { PasskeyError, type PasskeyFailure } from "@/lib/passkeys/errors";
import { registrationOptions, verifyRegistration } from "@/lib/passkeys/registration.server";
import { relyingParty } from "@/lib/passkeys/relying-party";
import { listPasskeys, MAX_PASSKEYS_PER_ACCOUNT, removePasskey, renamePasskey } from "@/lib/passkeys/store.server";
import { createUser } from "@/lib/users/store.server";
import { SoftwareAuthenticator, userHandleOf } from "../support/software-authenticator";
import { newEmail, PASSWORD as password } from "../support/people";

const rp = relyingParty();

async function newUser() {
  const user = await createUser(newEmail("passkeys"), password);
  return { id: user.id, email: user.email };
}

/** A person with one passkey on a fresh authenticator; the passkey's credential id. */
async function personWithPasskey(options: { synced?: boolean } = {}) {
  const user = await newUser();
  const authenticator = new SoftwareAuthenticator(rp.origin, rp.id);
  const response = authenticator.register(await registrationOptions(user), options);
  const passkey = await verifyRegistration(user, response, "Laptop");
  return { user, authenticator, passkeyId: passkey.id };
}

/** The PasskeyError reason a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<PasskeyFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PasskeyError) return error.reason;
    throw error;
  }
  throw new Error("expected a PasskeyError, and it succeeded");
}

describe("WebAuthn challenges", () => {
  it("are spent by exactly one of 10 concurrent spends", async () => {
    const user = await newUser();
    const binding = { purpose: "registration", userId: user.id } as const;
    const { challenge } = await issueChallenge(binding);
    const spends = await Promise.all(Array.from({ length: 10 }, () => spendChallenge(challenge, binding)));
    expect(spends.filter(Boolean)).toHaveLength(1);
    expect(await db.webAuthnChallenge.count({ where: { challenge } })).toBe(0);
  });

  it("expire, and expired ones are purged", async () => {
    const binding = { purpose: "authentication", userId: null } as const;
    const past = new Date(Date.now() - (CHALLENGE_TTL_SECONDS + 1) * 1000);
    const { challenge } = await issueChallenge(binding, past);
    expect(await spendChallenge(challenge, binding)).toBe(false);
    expect(await db.webAuthnChallenge.count({ where: { challenge } })).toBe(1);
    await purgeExpiredChallenges();
    expect(await db.webAuthnChallenge.count({ where: { challenge } })).toBe(0);
    // Just inside its lifetime it still works.
    const fresh = await issueChallenge(binding, new Date(Date.now() - (CHALLENGE_TTL_SECONDS - 5) * 1000));
    expect(await spendChallenge(fresh.challenge, binding)).toBe(true);
  });

  it("are bound to their purpose and their person", async () => {
    const [ada, bob] = [await newUser(), await newUser()];
    const registration = (await issueChallenge({ purpose: "registration", userId: ada.id })).challenge;
    expect(await spendChallenge(registration, { purpose: "authentication", userId: ada.id })).toBe(false);
    expect(await spendChallenge(registration, { purpose: "registration", userId: bob.id })).toBe(false);
    expect(await spendChallenge(registration, { purpose: "registration", userId: null })).toBe(false);
    // A sign-in's challenge (nobody's yet) is no step-up challenge, and a step-up's no sign-in's.
    const signIn = (await issueChallenge({ purpose: "authentication", userId: null })).challenge;
    expect(await spendChallenge(signIn, { purpose: "authentication", userId: ada.id })).toBe(false);
    const stepUp = (await issueChallenge({ purpose: "authentication", userId: ada.id })).challenge;
    expect(await spendChallenge(stepUp, { purpose: "authentication", userId: null })).toBe(false);
    // Each still works for what it was made for.
    expect(await spendChallenge(registration, { purpose: "registration", userId: ada.id })).toBe(true);
    expect(await spendChallenge(signIn, { purpose: "authentication", userId: null })).toBe(true);
    expect(await spendChallenge(stepUp, { purpose: "authentication", userId: ada.id })).toBe(true);
  });

  it("refuse what is not a challenge", async () => {
    const binding = { purpose: "authentication", userId: null } as const;
    for (const value of [undefined, "", { not: "" }, 42, "x".repeat(200)]) expect(await spendChallenge(value, binding)).toBe(false);
  });
});

describe("adding a passkey", () => {
  it("asks for a discoverable credential with user verification, the user's id as its handle, none of theirs again", async () => {
    const { user, passkeyId } = await personWithPasskey();
    const options = await registrationOptions(user);
    expect(options.rp).toEqual({ id: rp.id, name: "Tessera" });
    expect(options.user.id).toBe(userHandleOf(user.id));
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    expect(options.excludeCredentials?.map((credential) => credential.id)).toEqual([passkeyId]);
    expect(await db.webAuthnChallenge.count({ where: { challenge: options.challenge, purpose: "registration", userId: user.id } })).toBe(1);
  });

  it("stops at the limit however many registrations arrive at once: 18 passkeys and 6 more at once make 20", async () => {
    const user = await newUser();
    await db.passkey.createMany({
      data: Array.from({ length: MAX_PASSKEYS_PER_ACCOUNT - 2 }, (_, i) => ({
        id: `limit-${user.id}-${i}`,
        userId: user.id,
        name: `Key ${i}`,
        publicKey: new Uint8Array(77),
        deviceType: "singleDevice",
      })),
    });
    const responses = [];
    for (let i = 0; i < 6; i++) responses.push(new SoftwareAuthenticator(rp.origin, rp.id).register(await registrationOptions(user)));
    const outcomes = await Promise.all(
      responses.map((response) =>
        verifyRegistration(user, response, "One more").then(
          () => "added",
          (error: unknown) => (error instanceof PasskeyError ? error.reason : Promise.reject(error)),
        ),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === "added")).toHaveLength(2);
    expect(outcomes.filter((outcome) => outcome === "too-many")).toHaveLength(4);
    expect(await db.passkey.count({ where: { userId: user.id } })).toBe(MAX_PASSKEYS_PER_ACCOUNT);
  });

  it("stores the verified credential once: the same response again is refused", async () => {
    const user = await newUser();
    const authenticator = new SoftwareAuthenticator(rp.origin, rp.id);
    const response = authenticator.register(await registrationOptions(user));
    const passkey = await verifyRegistration(user, response, "Chrome on Linux");
    expect(passkey).toMatchObject({ id: response.id, name: "Chrome on Linux", lastUsedAt: null, synced: false });
    const row = await db.passkey.findUniqueOrThrow({ where: { id: response.id } });
    expect(row).toMatchObject({ userId: user.id, counter: 1, transports: "internal", deviceType: "singleDevice", backedUp: false });
    expect(row.publicKey.length).toBeGreaterThan(60);
    expect(await failure(verifyRegistration(user, response, "again"))).toBe("challenge");
    expect(await db.passkey.count({ where: { userId: user.id } })).toBe(1);
  });

  it("refuses a response for another origin, relying party or person, or without user verification", async () => {
    const [ada, bob] = [await newUser(), await newUser()];
    const authenticator = new SoftwareAuthenticator(rp.origin, rp.id);
    const tries = [
      { origin: "https://evil.example" },
      { rpId: "evil.example" },
      { userVerified: false },
      { type: "webauthn.get" },
    ];
    for (const overrides of tries) {
      const response = authenticator.register(await registrationOptions(ada), overrides);
      expect(await failure(verifyRegistration(ada, response, "x")), JSON.stringify(overrides)).toBe("not-verified");
    }
    // Ada's challenge, answered in Bob's name.
    const response = authenticator.register(await registrationOptions(ada));
    expect(await failure(verifyRegistration(bob, response, "x"))).toBe("challenge");
    expect(await db.passkey.count({ where: { userId: { in: [ada.id, bob.id] } } })).toBe(0);
  });

  it("refuses what is not a WebAuthn response", async () => {
    const user = await newUser();
    for (const junk of [null, "x", { id: { not: "" } }, { id: "a".repeat(20), rawId: "a".repeat(20), type: "public-key", response: {} }]) {
      expect(await failure(verifyRegistration(user, junk, "x"))).toBe("not-verified");
    }
  });

  it("never moves a credential id registered to one account to another", async () => {
    const { user: ada, passkeyId } = await personWithPasskey();
    const before = await db.passkey.findUniqueOrThrow({ where: { id: passkeyId } });
    const bob = await newUser();
    // Bob's authenticator makes a credential under Ada's credential id (with a key of its own).
    const mallory = new SoftwareAuthenticator(rp.origin, rp.id);
    const response = mallory.register(await registrationOptions(bob), { credentialId: passkeyId });
    expect(await failure(verifyRegistration(bob, response, "Mine now"))).toBe("already-registered");
    const after = await db.passkey.findUniqueOrThrow({ where: { id: passkeyId } });
    expect(after.userId).toBe(ada.id);
    expect(Buffer.from(after.publicKey).equals(Buffer.from(before.publicKey))).toBe(true);
    expect(await db.passkey.count({ where: { userId: bob.id } })).toBe(0);
  });
});

describe("signing in with a passkey", () => {
  it("names the passkey's owner, and updates its counter and last use", async () => {
    const { user, authenticator, passkeyId } = await personWithPasskey();
    const use = await verifySignIn(authenticator.authenticate(await signInOptions(), passkeyId));
    expect(use).toMatchObject({ user: { id: user.id, role: "user" }, passkeyId, method: "passkey" });
    const row = await db.passkey.findUniqueOrThrow({ where: { id: passkeyId } });
    expect(row.counter).toBe(2);
    expect(row.lastUsedAt).not.toBeNull();
  });

  it("counts a synced passkey as a software key", async () => {
    const { authenticator, passkeyId } = await personWithPasskey({ synced: true });
    const use = await verifySignIn(authenticator.authenticate(await signInOptions(), passkeyId));
    expect(use.method).toBe("passkey-synced");
  });

  it("accepts one assertion once: of 10 concurrent verifications exactly one succeeds", async () => {
    // A synced passkey keeps no counter, so only the challenge stands between a response and its replay.
    const { authenticator, passkeyId } = await personWithPasskey({ synced: true });
    const response = authenticator.authenticate(await signInOptions(), passkeyId);
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => verifySignIn(response)));
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === "rejected") expect((outcome.reason as PasskeyError).reason).toBe("challenge");
    }
    expect(await failure(verifySignIn(response))).toBe("challenge");
  });

  it("refuses an expired challenge, and a registration challenge", async () => {
    const { user, authenticator, passkeyId } = await personWithPasskey({ synced: true });
    const stale = await signInOptions({ now: new Date(Date.now() - (CHALLENGE_TTL_SECONDS + 1) * 1000) });
    expect(await failure(verifySignIn(authenticator.authenticate(stale, passkeyId)))).toBe("challenge");
    const registration = await registrationOptions(user);
    const response = authenticator.authenticate({ challenge: registration.challenge, rpId: rp.id }, passkeyId);
    expect(await failure(verifySignIn(response))).toBe("challenge");
  });

  it("signs nobody in with a user handle that is not the passkey's owner's", async () => {
    const { authenticator, passkeyId } = await personWithPasskey();
    const bob = await newUser();
    const response = authenticator.authenticate(await signInOptions(), passkeyId, { userHandle: userHandleOf(bob.id) });
    expect(await failure(verifySignIn(response))).toBe("wrong-account");
    // Without a user handle (allowed by WebAuthn), the owner, and only the owner, is named.
    const { user: owner } = await verifySignIn(authenticator.authenticate(await signInOptions(), passkeyId, { userHandle: null }));
    expect(owner.id).not.toBe(bob.id);
  });

  it("refuses an unknown credential, a bad signature, another origin, no user verification, a counter going back", async () => {
    const { authenticator, passkeyId } = await personWithPasskey();
    const stranger = new SoftwareAuthenticator(rp.origin, rp.id);
    const unknown = stranger.register(await registrationOptions(await newUser()));
    // Registered nowhere: its registration was never verified.
    expect(await failure(verifySignIn(stranger.authenticate(await signInOptions(), unknown.id)))).toBe("unknown-credential");

    const forged = authenticator.authenticate(await signInOptions(), passkeyId);
    const signature = Buffer.from(forged.response.signature, "base64url");
    signature[signature.length - 1]! ^= 1;
    expect(await failure(verifySignIn({ ...forged, response: { ...forged.response, signature: signature.toString("base64url") } }))).toBe(
      "not-verified",
    );
    expect(await failure(verifySignIn(authenticator.authenticate(await signInOptions(), passkeyId, { origin: "https://evil.example" })))).toBe(
      "not-verified",
    );
    expect(await failure(verifySignIn(authenticator.authenticate(await signInOptions(), passkeyId, { userVerified: false })))).toBe("not-verified");
    await verifySignIn(authenticator.authenticate(await signInOptions(), passkeyId, { counter: 10 }));
    expect(await failure(verifySignIn(authenticator.authenticate(await signInOptions(), passkeyId, { counter: 9 })))).toBe("not-verified");
    expect((await db.passkey.findUniqueOrThrow({ where: { id: passkeyId } })).counter).toBe(10);
  });

  it("tells the person one sentence whatever went wrong", async () => {
    const { authenticator, passkeyId } = await personWithPasskey();
    const bob = await newUser();
    const messages = new Set<string>();
    for (const overrides of [{ userHandle: userHandleOf(bob.id) }, { origin: "https://evil.example" }]) {
      try {
        await verifySignIn(authenticator.authenticate(await signInOptions(), passkeyId, overrides));
      } catch (error) {
        messages.add((error as PasskeyError).userMessage);
      }
    }
    expect([...messages]).toEqual(["That passkey could not sign you in."]);
  });
});

describe("confirming with a passkey (step-up)", () => {
  it("offers and accepts the person's own passkeys only", async () => {
    const ada = await personWithPasskey();
    const bob = await personWithPasskey();
    const options = await stepUpOptions(bob.user.id);
    expect(options.allowCredentials?.map((credential) => credential.id)).toEqual([bob.passkeyId]);
    // Ada's passkey, answering Bob's step-up challenge.
    const response = ada.authenticator.authenticate(options, ada.passkeyId);
    expect(await failure(verifyStepUp(bob.user.id, response))).toBe("wrong-account");
    expect((await db.passkey.findUniqueOrThrow({ where: { id: ada.passkeyId } })).lastUsedAt).toBeNull();
    // Bob's own works, once.
    const own = bob.authenticator.authenticate(await stepUpOptions(bob.user.id), bob.passkeyId);
    expect((await verifyStepUp(bob.user.id, own)).user.id).toBe(bob.user.id);
    expect(await failure(verifyStepUp(bob.user.id, own))).toBe("challenge");
  });

  it("does not take a sign-in challenge, nor offer anything to someone without a passkey", async () => {
    const { user, authenticator, passkeyId } = await personWithPasskey();
    const response = authenticator.authenticate(await signInOptions(), passkeyId);
    expect(await failure(verifyStepUp(user.id, response))).toBe("challenge");
    expect(await failure(stepUpOptions((await newUser()).id))).toBe("no-passkey");
  });
});

describe("the person's passkeys", () => {
  it("are listed, renamed and removed by their owner only", async () => {
    const ada = await personWithPasskey();
    const bob = await newUser();
    expect(await renamePasskey(bob.id, ada.passkeyId, "Stolen")).toEqual({ ok: false, error: "That passkey is not on your account." });
    expect(await removePasskey(bob.id, ada.passkeyId)).toBe(false);
    expect(await listPasskeys(bob.id)).toEqual([]);
    expect((await listPasskeys(ada.user.id)).map((passkey) => passkey.name)).toEqual(["Laptop"]);

    expect(await renamePasskey(ada.user.id, ada.passkeyId, "  Work laptop \u0007 ")).toEqual({ ok: true, name: "Work laptop" });
    expect(await renamePasskey(ada.user.id, ada.passkeyId, "   ")).toEqual({ ok: false, error: "Enter a name." });
    expect(await renamePasskey(ada.user.id, ada.passkeyId, "x".repeat(65))).toMatchObject({ ok: false });
    expect((await listPasskeys(ada.user.id)).map((passkey) => passkey.name)).toEqual(["Work laptop"]);

    for (const junk of [{ not: "" }, "", 42, null]) expect(await removePasskey(ada.user.id, junk)).toBe(false);
    expect(await removePasskey(ada.user.id, ada.passkeyId)).toBe(true);
    expect(await listPasskeys(ada.user.id)).toEqual([]);
    // Removed: it signs nobody in any more.
    expect(await failure(verifySignIn(ada.authenticator.authenticate(await signInOptions(), ada.passkeyId)))).toBe("unknown-credential");
  });
});
