import "server-only";
// Provider accounts connected to Tessera accounts, and the rules that keep a provider from taking one over
// (docs/decisions/0018-sign-in-with-providers.md):
// - An identity is found by (issuer, subject) only. An email never links anything by itself.
// - A new identity whose email no account has makes a new account: usable at once when the provider vouches for the
//   email (`email_verified`, GitHub's verified primary), otherwise unconfirmed, with no session until the mailed link
//   is opened.
// - A new identity whose email an account has is refused ("Sign in to it to connect …"). When the provider vouches
//   for the email and that account never confirmed it, it was made by someone who could not read that mail (a
//   pre-hijack): its password, sessions, passkeys, authenticator app and unproven connections are removed, so the
//   one who made it is out, and the email's owner gets it through "Forgot password?".
// - Connecting is from a signed-in, recently confirmed session; disconnecting never removes the last way in
//   (lib/ways-in, the rule every removal goes through).
import { db, isUniqueViolation } from "../db/db.server";
import { isProviderId, providerName, type ProviderId } from "../config/providers";
import { randomId } from "../ids";
import { logEvent } from "../log.server";
import { checkEmail } from "../users/credentials";
import { confirmationMailStatements } from "../recovery/email-confirmation.server";
import { revokeSessions } from "../sessions/store.server";
import { recordEvent, type EventClient } from "../activity/record.server";
import { appLink } from "../mail/links";
import { enqueueMail } from "../mail/outbox.server";
import { wakeMailSender } from "../mail/sender.server";
import { providerConnectedMail, providerDisconnectedMail } from "../mail/templates";
import { SECURITY_PATH } from "../routes";
import { toRole, type Role } from "../tokens/roles";
import { countWaysIn, LastWayInError, removeUnprovenFactors, removingWayIn, totalWaysIn } from "../ways-in/ways-in.server";
import type { ProviderIdentity } from "./identity";

export interface LinkedAccount {
  linkId: string;
  user: { id: string; role: Role; emailVerifiedAt: Date | null };
  mailboxProven: boolean;
}

const byIdentity = (identity: ProviderIdentity) => ({ issuer_subject: { issuer: identity.issuer, subject: identity.subject } });

/** The email as Tessera stores emails, or null when the provider gave none or one Tessera would not accept. */
function emailOf(identity: ProviderIdentity): string | null {
  if (identity.email === null) return null;
  const checked = checkEmail(identity.email);
  return checked.ok ? checked.value : null;
}

/** The account this identity is connected to, or null. */
export async function findLinkedAccount(identity: ProviderIdentity): Promise<LinkedAccount | null> {
  const link = await db.providerAccount.findUnique({
    where: byIdentity(identity),
    select: { id: true, mailboxProven: true, user: { select: { id: true, role: true, emailVerifiedAt: true } } },
  });
  if (!link) return null;
  return { linkId: link.id, mailboxProven: link.mailboxProven, user: { ...link.user, role: toRole(link.user.role) } };
}

/** A sign-in through the connection: "last used" on /account/security. */
export async function touchLink(linkId: string, now = new Date()): Promise<void> {
  await db.providerAccount.updateMany({ where: { id: linkId }, data: { lastUsedAt: now } });
}

function linkData(userId: string, identity: ProviderIdentity, mailboxProven: boolean, now: Date) {
  return {
    id: randomId(),
    userId,
    provider: identity.provider,
    issuer: identity.issuer,
    subject: identity.subject,
    email: emailOf(identity),
    mailboxProven,
    createdAt: now,
    lastUsedAt: now,
  };
}

const connectedEvent = (userId: string, provider: ProviderId, client: EventClient, now: Date) =>
  ({ userId, kind: "provider-connected", client, details: { provider: providerName(provider) }, now }) as const;

export type NewIdentityOutcome =
  /** A new account, its email vouched for by the provider: a session may follow. */
  | { outcome: "created"; user: { id: string; role: Role } }
  /** A new account, unconfirmed: the confirmation mail is queued, no session until it is opened. */
  | { outcome: "confirm-email" }
  /** An account has this email: nothing linked (and a pre-hijacked one cleared). */
  | { outcome: "email-taken" }
  /** No email the account could be made with. */
  | { outcome: "no-email" };

/**
 * An identity no account is connected to, at sign-in: a new account, or a refusal. Never links to an existing
 * account, whatever the email. Throws a unique violation's error only when the same identity was connected by a
 * request racing this one (the caller tries the sign-in again).
 */
export async function signUpWithIdentity(identity: ProviderIdentity, client: EventClient, now = new Date()): Promise<NewIdentityOutcome> {
  const email = emailOf(identity);
  if (email === null) return { outcome: "no-email" };
  const existing = await db.user.findUnique({ where: { email }, select: { id: true, emailVerifiedAt: true } });
  if (existing) {
    if (identity.emailVerified && existing.emailVerifiedAt === null) await clearUnconfirmedAccount(existing.id, identity.provider, client, now);
    return { outcome: "email-taken" };
  }
  const id = randomId();
  const verified = identity.emailVerified;
  try {
    await db.$transaction(async (tx) => {
      await tx.user.create({ data: { id, email, passwordHash: null, emailVerifiedAt: verified ? now : null, createdAt: now } });
      await tx.providerAccount.create({ data: linkData(id, identity, verified, now) });
      await recordEvent(connectedEvent(id, identity.provider, client, now), tx);
      if (!verified) for (const statement of confirmationMailStatements({ id, email }, now, tx)) await statement;
    });
  } catch (error) {
    // Another sign-up took the email meanwhile (the email's unique index): the same answer as if it had been first.
    if (isUniqueViolation(error) && (await db.user.count({ where: { email, NOT: { id } } })) > 0) return { outcome: "email-taken" };
    throw error;
  }
  if (!verified) wakeMailSender();
  logEvent("provider.account-created", { userId: id, provider: identity.provider, emailVerified: verified });
  return verified ? { outcome: "created", user: { id, role: "user" } } : { outcome: "confirm-email" };
}

/**
 * A provider vouched for the email of an account that never confirmed it: whoever made the account could not read
 * that mail. Everything that lets anyone in is removed, in one transaction and only while the email is still
 * unconfirmed: the password, every session and pending sign-in, passkeys, the authenticator app and its recovery
 * codes, and connections made without the mailbox. The mailed links stay: they went to the email's owner.
 */
async function clearUnconfirmedAccount(userId: string, provider: ProviderId, client: EventClient, now: Date): Promise<void> {
  const cleared = await db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({ where: { id: userId, emailVerifiedAt: null }, data: { passwordHash: null, passwordBreachedAt: null } });
    if (count !== 1) return false;
    await revokeSessions({ userId }, now, tx);
    await tx.pendingSignIn.deleteMany({ where: { userId } });
    await removeUnprovenFactors(tx, userId);
    await tx.providerAccount.deleteMany({ where: { userId, mailboxProven: false } });
    await recordEvent({ userId, kind: "unconfirmed-account-cleared", client, details: { provider: providerName(provider) }, now }, tx);
    return true;
  });
  if (cleared) logEvent("provider.unconfirmed-account-cleared", { userId, provider });
}

export type ConnectOutcome = "connected" | "already-connected" | "connected-elsewhere";

/**
 * Connects an identity to a signed-in account (its session recently confirmed: the caller checks). The mailbox
 * counts as proven when the account's email is confirmed, or when the provider vouches for that same email.
 */
export async function connectIdentity(userId: string, identity: ProviderIdentity, client: EventClient, now = new Date()): Promise<ConnectOutcome> {
  try {
    const outcome = await db.$transaction(async (tx): Promise<ConnectOutcome> => {
      const existing = await tx.providerAccount.findUnique({ where: byIdentity(identity), select: { userId: true } });
      if (existing) return existing.userId === userId ? "connected" : "connected-elsewhere";
      const mine = await tx.providerAccount.findUnique({ where: { userId_provider: { userId, provider: identity.provider } }, select: { id: true } });
      if (mine) return "already-connected";
      const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, emailVerifiedAt: true } });
      const proven = user.emailVerifiedAt !== null || (identity.emailVerified && emailOf(identity) === user.email);
      await tx.providerAccount.create({ data: linkData(userId, identity, proven, now) });
      await recordEvent(connectedEvent(userId, identity.provider, client, now), tx);
      // The owner is told, as for a passkey: an intruder's connection would outlive a password reset.
      await enqueueMail(providerConnectedMail(user.email, providerName(identity.provider), appLink(SECURITY_PATH)), tx);
      return "connected";
    });
    if (outcome === "connected") {
      wakeMailSender();
      logEvent("provider.connected", { userId, provider: identity.provider });
    }
    return outcome;
  } catch (error) {
    // The same identity connected to another account by a request racing this one.
    if (isUniqueViolation(error)) return "connected-elsewhere";
    throw error;
  }
}

/** Whether this identity is the one connected to this account (a step-up through the provider). */
export async function isConnectedTo(userId: string, identity: ProviderIdentity): Promise<string | null> {
  const link = await db.providerAccount.findUnique({ where: byIdentity(identity), select: { id: true, userId: true } });
  return link && link.userId === userId ? link.id : null;
}

export type DisconnectOutcome = "disconnected" | "not-connected" | "last-way-in";

/**
 * Disconnects the account's connection to `provider`, refused when it is the last way in (no password, no passkey,
 * no other connection): one transaction, guarded by lib/ways-in like every other removal.
 */
export async function disconnectProvider(userId: string, provider: ProviderId, client: EventClient, now = new Date()): Promise<DisconnectOutcome> {
  let outcome: DisconnectOutcome;
  try {
    outcome = await removingWayIn(userId, async (tx, guard): Promise<DisconnectOutcome> => {
      const link = await tx.providerAccount.findUnique({ where: { userId_provider: { userId, provider } }, select: { id: true, user: { select: { email: true } } } });
      if (!link) return "not-connected";
      await guard({ connections: 1 });
      await tx.providerAccount.delete({ where: { id: link.id } });
      await recordEvent({ userId, kind: "provider-disconnected", client, details: { provider: providerName(provider) }, now }, tx);
      await enqueueMail(providerDisconnectedMail(link.user.email, providerName(provider), appLink(SECURITY_PATH)), tx);
      return "disconnected";
    });
  } catch (error) {
    if (error instanceof LastWayInError) return "last-way-in";
    throw error;
  }
  if (outcome === "disconnected") {
    wakeMailSender();
    logEvent("provider.disconnected", { userId, provider });
  }
  return outcome;
}

export interface Connection {
  provider: ProviderId;
  email: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** The account's connections, for /account/security. */
export async function listConnections(userId: string): Promise<Connection[]> {
  const rows = await db.providerAccount.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { provider: true, email: true, createdAt: true, lastUsedAt: true },
  });
  return rows.flatMap((row) => (isProviderId(row.provider) ? [{ ...row, provider: row.provider }] : []));
}


/** Whether the account can sign in without any one of its connections (for the disconnect button's hint). */
export async function canDisconnectAny(userId: string): Promise<boolean> {
  return totalWaysIn(await countWaysIn(userId)) > 1;
}
