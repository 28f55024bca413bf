import "server-only";
// The ways into an account: its password, its passkeys, its provider connections. Every removal of one of them goes
// through removingWayIn(), so no path (a passkey removed, a provider disconnected) can leave an account nobody can
// sign in to. An authenticator app is a second factor, not a way in: it is not counted.
import type { Database } from "../db/client.server";
import { db, holdUserRow } from "../db/db.server";
import { TesseraError } from "../errors";

export class LastWayInError extends TesseraError<"last-way-in"> {
  static readonly code = "last-way-in";
  override name = "LastWayInError";
  constructor(userId: string) {
    super(LastWayInError.code, `removing it would leave account ${userId} no way to sign in`);
  }
}

export interface WaysIn {
  password: boolean;
  passkeys: number;
  connections: number;
}

type Queries = Pick<Database, "user">;

export function totalWaysIn({ password, passkeys, connections }: WaysIn): number {
  return (password ? 1 : 0) + passkeys + connections;
}

/** The account's ways in, read in `tx` (a transaction that locked the row, for a removal) or outside one. */
export async function countWaysIn(userId: string, tx: Queries = db): Promise<WaysIn> {
  const user = await tx.user.findUniqueOrThrow({
    where: { id: userId },
    select: { passwordHash: true, _count: { select: { passkeys: true, providerAccounts: true } } },
  });
  return { password: user.passwordHash !== null, passkeys: user._count.passkeys, connections: user._count.providerAccounts };
}

type RemovalQueries = Parameters<Parameters<typeof db.$transaction>[0]>[0];

/** Throws LastWayInError when taking `removing` away would leave the account no way in. */
export type RemovalGuard = (removing: Partial<WaysIn>) => Promise<void>;

/**
 * A removal of a way in: `work` runs in one transaction that first locks the account's row, so that two removals at
 * once (two tabs, each removing a different passkey) cannot each count the other's and leave none. `work` calls
 * `guard` with what it is about to remove; a refusal throws LastWayInError and rolls everything back.
 */
export function removingWayIn<T>(userId: string, work: (tx: RemovalQueries, guard: RemovalGuard) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    await holdUserRow(tx, userId);
    const guard: RemovalGuard = async (removing) => {
      const now = await countWaysIn(userId, tx);
      const left = totalWaysIn({
        password: now.password && !removing.password,
        passkeys: now.passkeys - (removing.passkeys ?? 0),
        connections: now.connections - (removing.connections ?? 0),
      });
      if (left < 1) throw new LastWayInError(userId);
    };
    return work(tx, guard);
  });
}

/**
 * Removes the account's passkeys, authenticator app and recovery codes, unguarded: for an account whose mailbox was
 * never proven, where whoever added them may not be its owner. The mailbox is the way back in: the owner's reset
 * link, or "Forgot password?" after a provider vouched for the address.
 */
export async function removeUnprovenFactors(tx: Pick<Database, "passkey" | "recoveryCode" | "totpFactor">, userId: string): Promise<void> {
  await tx.passkey.deleteMany({ where: { userId } });
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.totpFactor.deleteMany({ where: { userId } });
}
