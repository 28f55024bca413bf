// A write refused by a unique index: the database deciding a race, not a failure.
import { Prisma } from "./generated/sqlite/client";

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
