import "server-only";
// Users: creation and password checks. Emails and passwords arrive already checked and normalized
// (lib/credentials.ts).
import { db } from "./db.server";
import { Prisma } from "./db/generated/client";
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from "./password.server";

export interface User {
  id: string;
  email: string;
  createdAt: Date;
}

const publicFields = { id: true, email: true, createdAt: true } as const;

export class EmailTakenError extends Error {
  override name = "EmailTakenError";
  constructor() {
    super("An account with this email already exists.");
  }
}

/** Creates a user. Throws EmailTakenError when the email is taken, even by a sign-up racing this one. */
export async function createUser(email: string, password: string): Promise<User> {
  const passwordHash = await hashPassword(password);
  try {
    return await db.user.create({
      data: { id: crypto.randomUUID(), email, passwordHash },
      select: publicFields,
    });
  } catch (error) {
    // The unique index decides, not an earlier lookup: two sign-ups at once cannot both pass it.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new EmailTakenError();
    throw error;
  }
}

/**
 * The user with this email and password, or null. Does the same work whether or not the email exists, so
 * that neither the answer nor its timing tells which. Upgrades the stored hash when its parameters are old.
 */
export async function authenticate(email: string, password: string): Promise<User | null> {
  const found = await db.user.findUnique({ where: { email }, select: { ...publicFields, passwordHash: true } });
  if (!found) return verifyAgainstDummy(password).then(() => null);
  const { passwordHash, ...user } = found;
  if (!(await verifyPassword(passwordHash, password))) return null;
  if (needsRehash(passwordHash)) {
    await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
  }
  return user;
}

export function findUserById(id: string): Promise<User | null> {
  return db.user.findUnique({ where: { id }, select: publicFields });
}
