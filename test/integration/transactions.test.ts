// A transaction that rolls back undoes its own writes, never another request's (lib/db/sqlite-transactions.server.ts:
// on SQLite every request shares one connection).
import { expect, it } from "vitest";
import { db } from "@/lib/db/db.server";
import { createSession, endSessionsWhere, findLiveSession } from "@/lib/sessions/store.server";
import { createUser } from "@/lib/users/store.server";
import { newEmail, PASSWORD } from "../support/people";

it("writes made while another request's transaction is open survive that transaction's rollback", async () => {
  const user = await createUser(newEmail("transactions"), PASSWORD);
  const session = await createSession({ userId: user.id, kind: "browser", client: { userAgent: null, ipPrefix: null } });
  let opened!: () => void;
  const open = new Promise<void>((resolve) => (opened = resolve));
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const failing = db
    .$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { role: "user" } });
      opened();
      await finished;
      throw new Error("rolled back on purpose");
    })
    .catch((error: Error) => error.message);
  await open;
  // Writes of each shape another request makes, Prisma's own statements and raw SQL, sent while the transaction is
  // open (a Prisma query runs once something asks for its result: hence the `then`s), given time to reach it.
  const signOut = endSessionsWhere({ id: session.id });
  const promotion = db.user.update({ where: { id: user.id }, data: { role: "admin" } }).then(() => undefined);
  const touch = db.$executeRaw`UPDATE "sessions" SET "userAgent" = 'written outside' WHERE "id" = ${session.id}`.then(
    () => undefined,
  );
  await new Promise((resolve) => setTimeout(resolve, 200));
  finish();

  expect(await failing).toBe("rolled back on purpose");
  await Promise.all([signOut, promotion, touch]);
  expect(await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { role: true } })).toEqual({ role: "admin" });
  expect(await db.session.findUniqueOrThrow({ where: { id: session.id }, select: { userAgent: true } })).toEqual({
    userAgent: "written outside",
  });
  expect(await findLiveSession(session.id)).toBeNull();
});
