import "server-only";
// Users: creation, password checks and changes, deletion, roles. Emails and passwords arrive already checked
// and normalized (lib/users/credentials.ts).
import { db, isUniqueViolation } from "../db/db.server";
import { TesseraError } from "../errors";
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from "../passwords/hashing.server";
import { toRole, type Role } from "../tokens/roles";
import { randomId } from "../ids";
import { createSession, liveSessionsWhere, purgeEndedSessions, revokeSessions, type ClientInfo } from "../sessions/store.server";
import { confirmationMailStatements } from "../recovery/email-confirmation.server";
import { wakeMailSender } from "../mail/sender.server";
import { revokeOneTimeTokens } from "../tokens/one-time-tokens.server";
import { requestClient } from "../activity/client.server";
import { recordEvent } from "../activity/record.server";

export interface User {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
  /** When the person last proved they read mail at `email`; null until they do. */
  emailVerifiedAt: Date | null;
}

const publicFields = { id: true, email: true, role: true, createdAt: true, emailVerifiedAt: true } as const;

function toUser(row: Omit<User, "role"> & { role: string }): User {
  return { ...row, role: toRole(row.role) };
}

export class EmailTakenError extends TesseraError<"email-taken"> {
  static readonly code = "email-taken";
  override name = "EmailTakenError";
  constructor() {
    super(EmailTakenError.code, "An account with this email already exists.");
  }
}

// 128 random bits in 22 characters: a UUID spends 36 on 122 bits, and the id rides in every cookie.
function insertUser(id: string, email: string, passwordHash: string) {
  return db.user.create({ data: { id, email, passwordHash }, select: publicFields });
}

/** The unique index decides, not an earlier lookup: of two sign-ups at once with one email, one gets this. */
async function refusingTakenEmail<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (isUniqueViolation(error)) throw new EmailTakenError();
    throw error;
  }
}

/**
 * Creates a user, with no session and no mail. Sign-up is createUserWithSession; this is how the integration
 * tests and the e2e fixtures (e2e/support/people.ts) make people. Throws EmailTakenError when the email is taken,
 * even by a sign-up racing this one.
 */
export async function createUser(email: string, password: string): Promise<User> {
  const passwordHash = await hashPassword(password);
  return toUser(await refusingTakenEmail(insertUser(randomId(), email, passwordHash)));
}

/**
 * Sign-up: the user, their first browser session, and the mail asking them to confirm their email, in one
 * transaction. Either all exist or none does, so a failure never leaves an account behind a page that said
 * nothing was saved, nor an account whose confirmation mail was lost. Throws EmailTakenError.
 */
export async function createUserWithSession(email: string, password: string, client: ClientInfo, now = new Date()) {
  const passwordHash = await hashPassword(password);
  const id = randomId();
  const [user, session] = await refusingTakenEmail(
    db.$transaction([
      insertUser(id, email, passwordHash),
      createSession({ userId: id, kind: "browser", client, now }),
      ...confirmationMailStatements({ id, email }, now),
    ]),
  );
  wakeMailSender();
  return { user: toUser(user), session };
}

/**
 * A user whose password was just checked, with the hash it was checked against (what a session opens on) and when
 * the password was found breached, if it was (what the breached-password note after the answer starts from).
 */
export type AuthenticatedUser = User & { passwordHash: string; passwordBreachedAt: Date | null };

/**
 * The user with this email and password, or null. Does the same work whether or not the email exists, so
 * that neither the answer nor its timing tells which. Upgrades the stored hash when its parameters are old.
 */
export async function authenticate(email: string, password: string): Promise<AuthenticatedUser | null> {
  const found = await db.user.findUnique({ where: { email }, select: { ...publicFields, passwordHash: true, passwordBreachedAt: true } });
  if (!found) return verifyAgainstDummy(password).then(() => null);
  const { passwordHash, passwordBreachedAt, ...user } = found;
  // An account without a password is checked against the dummy hash, so it takes as long as a wrong one.
  if (!(await verifyPassword(passwordHash, password)) || passwordHash === null) return null;
  if (!needsRehash(passwordHash)) return { ...toUser(user), passwordHash, passwordBreachedAt };
  const upgraded = await rehashIfUnchanged(user.id, passwordHash, password);
  return upgraded === null ? null : { ...toUser(user), passwordHash: upgraded, passwordBreachedAt };
}

/**
 * Stores `password` hashed with today's parameters, only while `oldHash` is still the stored one: a password
 * changed or reset during the sign-in is never overwritten with the old password. The new hash, or null.
 */
export async function rehashIfUnchanged(userId: string, oldHash: string, password: string): Promise<string | null> {
  const passwordHash = await hashPassword(password);
  const { count } = await db.user.updateMany({ where: { id: userId, passwordHash: oldHash }, data: { passwordHash } });
  return count === 1 ? passwordHash : null;
}

/** Whether the account has a password at all (one made through a provider has none until the reset mail sets one). */
export async function hasPassword(userId: string): Promise<boolean> {
  return (await db.user.count({ where: { id: userId, passwordHash: { not: null } } })) === 1;
}

/** Whether this is the user's password, for actions that ask for it again (password change, deletion). */
export async function confirmPassword(userId: string, password: string): Promise<boolean> {
  const found = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return found !== null && (await verifyPassword(found.passwordHash, password));
}

/**
 * Sets a new password and ends every other session of the user (whoever knew the old one is out) and every
 * reset link still in their mail, in one transaction: a failure leaves the old password and the old sessions
 * as they were, never the new password with the old sessions alive.
 */
export async function changePassword(userId: string, newPassword: string, keepSessionId: string): Promise<void> {
  const passwordHash = await hashPassword(newPassword);
  const now = new Date();
  const client = await requestClient();
  // An interactive transaction, as every other write of the app: on SQLite it takes the write lock before its
  // first statement (lib/db/sqlite-transactions.server.ts).
  await db.$transaction(async (tx) => {
    // The account's row first (holdUserRow): a sign-in finishing with its code right now holds it, so this waits
    // for it, and the revocation below then sees its session. A new password is a new judgement: it passed the
    // breached-password check to get here.
    await tx.user.update({ where: { id: userId }, data: { passwordHash, passwordBreachedAt: null } });
    // A sign-in that got past the old password and waits for its code does not get to finish.
    await tx.pendingSignIn.deleteMany({ where: { userId } });
    await revokeSessions({ userId, id: { not: keepSessionId } }, now, tx);
    // An email change asked for by whoever knew the old password dies with it.
    await revokeOneTimeTokens(userId, ["password-reset", "email-change"], now, tx);
    await recordEvent({ userId, kind: "password-changed", client, now }, tx);
  });
  await purgeEndedSessions(now);
}

/** Deletes the user; their sessions and refresh tokens go with them (ON DELETE CASCADE). */
export async function deleteUser(userId: string): Promise<void> {
  await db.user.deleteMany({ where: { id: userId } });
}

export async function findUserByEmail(email: string): Promise<User | null> {
  const row = await db.user.findUnique({ where: { email }, select: publicFields });
  return row && toUser(row);
}

/**
 * Changes a user's role. Takes effect on their next request: the data access layer reads it every time. The e2e
 * fixtures make admins with it; `npm run user:promote` does the same by email, on its own database client.
 */
export async function setRole(userId: string, role: Role): Promise<void> {
  const client = await requestClient();
  await db.$transaction([
    db.user.update({ where: { id: userId }, data: { role } }),
    recordEvent({ userId, kind: "role-changed", client, details: { role } }),
  ]);
}

export interface UserListing extends User {
  activeSessions: number;
}

/** Every user with how many live sessions they have, newest first: the admin page. */
export async function listUsers(now = new Date()): Promise<UserListing[]> {
  const rows = await db.user.findMany({
    orderBy: { createdAt: "desc" },
    select: {
      ...publicFields,
      _count: { select: { sessions: { where: liveSessionsWhere(now) } } },
    },
  });
  return rows.map(({ _count, ...row }) => ({ ...toUser(row), activeSessions: _count.sessions }));
}
