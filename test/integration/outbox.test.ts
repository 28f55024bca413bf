// The outbox and its sender against a real database and a real SMTP server (scripts/mail-sink.mjs): mail written
// with a transaction exists only if the transaction commits; any number of senders at once send each mail once;
// with SMTP down nothing is lost or marked sent, and the mail goes out once SMTP is back; a sender that claimed
// mail and died holds it only until its lease ends.
import { rmSync } from "node:fs";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";

// This file's own database and SMTP server, in place before lib/ is imported (lib/db reads DATABASE_URL when it
// is first imported, and mailConfig SMTP_URL when first used): its senders must never take mail that other test
// files, running beside it, enqueue and read back from the shared test database.
const setup = await vi.hoisted(async () => {
  const { createTestDatabase } = await import("../../scripts/test-database.mjs");
  const { startMailSink } = await import("../../scripts/mail-sink.mjs");
  const database = await createTestDatabase(process.env.TEST_DATABASE === "postgresql" ? "postgresql" : "sqlite");
  if (!database) throw new Error("no test database");
  process.env.DATABASE_URL = database.url;
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "tessera-mail-"));
  const sink = await startMailSink({ dir });
  process.env.SMTP_URL = sink.url;
  return { database, dir, sink };
});

import { db } from "@/lib/db/db.server";
import { mailConfig } from "@/lib/config";
import { claimNextMail, enqueueMail, LEASE_MS, markSent, retryDelayMs } from "@/lib/mail/outbox.server";
import { deliverDueMail } from "@/lib/mail/sender.server";
import { messageIdFor } from "@/lib/mail/transport.server";
import { passwordResetMail } from "@/lib/mail/templates";
import { startMailSink, type MailSink } from "../../scripts/mail-sink.mjs";
import { mailbox } from "../../e2e/support/mailbox";
import { failStatements } from "../support/failing-statement";
import { newEmail } from "../support/people";

let sink: MailSink = setup.sink;
const inbox = mailbox(setup.dir);
const mailTo = (to: string) => passwordResetMail(to, new URL(`http://localhost:3000/reset-password#token=${to}`), 30);
const later = (from: Date, ms: number) => new Date(from.getTime() + ms);

/** Runs sender passes at `now` until no mail is due and free then (each pass stops at a refused connection). */
async function passesUntilIdle(now: Date): Promise<number> {
  let sent = 0;
  for (let i = 0; i < 50; i++) {
    const due = await db.outboxMail.count({
      where: { sentAt: null, nextAttemptAt: { lte: now }, OR: [{ leaseUntil: null }, { leaseUntil: { lte: now } }] },
    });
    if (due === 0) return sent;
    sent += await deliverDueMail(now);
  }
  throw new Error("the outbox never became idle");
}

async function receivedBy(recipients: string[]): Promise<number[]> {
  return Promise.all(recipients.map(async (to) => (await inbox.mailsTo(to)).length));
}

beforeEach(async () => {
  await db.outboxMail.deleteMany();
});

afterAll(async () => {
  await sink.stop();
  await db.$disconnect();
  await setup.database.drop();
  rmSync(setup.dir, { recursive: true, force: true });
});

describe("enqueueMail", () => {
  it("writes nothing when the transaction it is part of is cut, and the mail when it commits", async () => {
    const to = newEmail("cut");
    const witness = newEmail("cut-witness");
    const restore = await failStatements("outbox", "INSERT", `NEW."to" = '${witness}'`);
    try {
      // A batch transaction, as sign-up writes its rows, and an interactive one.
      await expect(db.$transaction([enqueueMail(mailTo(to)), enqueueMail(mailTo(witness))])).rejects.toThrow();
      await expect(
        db.$transaction(async (tx) => {
          await enqueueMail(mailTo(to), tx);
          await enqueueMail(mailTo(witness), tx);
        }),
      ).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await db.outboxMail.count({ where: { to } })).toBe(0);

    await db.$transaction([enqueueMail(mailTo(to)), enqueueMail(mailTo(witness))]);
    expect(await db.outboxMail.count({ where: { to } })).toBe(1);
  });
});

describe("the sender", { timeout: 60_000 }, () => {
  it("backs off 5 s after a first failure, doubling each time, never more than an hour", () => {
    expect([1, 2, 3, 4, 10, 11, 12, 100].map(retryDelayMs)).toEqual([5_000, 10_000, 20_000, 40_000, 2_560_000, 3_600_000, 3_600_000, 3_600_000]);
  });

  it("sends each mail exactly once when ten senders run at once", async () => {
    const recipients = Array.from({ length: 30 }, () => newEmail("burst"));
    for (const to of recipients) await enqueueMail(mailTo(to));

    const counts = await Promise.all(Array.from({ length: 10 }, () => deliverDueMail()));

    expect(counts.reduce((a, b) => a + b, 0)).toBe(recipients.length);
    expect(await receivedBy(recipients)).toEqual(recipients.map(() => 1));
    expect(await db.outboxMail.count({ where: { sentAt: null } })).toBe(0);

    // What arrived is the mail as written, with a Message-ID made from its outbox row, and the row keeps no body.
    const row = await db.outboxMail.findFirstOrThrow({ where: { to: recipients[0] } });
    const [received] = await inbox.mailsTo(recipients[0]!);
    expect(received).toMatchObject({ subject: "Reset your Tessera password", from: "no-reply@localhost" });
    expect(received!.links).toEqual([`http://localhost:3000/reset-password#token=${recipients[0]}`]);
    expect(received!.messageId).toBe(messageIdFor(row.id, mailConfig().appUrl));
    expect(row).toMatchObject({ text: "", html: "", attempts: 0, lastError: null });
  });

  it("claims nothing once told to stop, so a server shutting down leaves no mail leased to a process that is gone", async () => {
    const recipients = [newEmail("stopping"), newEmail("stopping")];
    for (const to of recipients) await enqueueMail(mailTo(to));
    const stop = new AbortController();
    stop.abort();

    expect(await deliverDueMail(undefined, stop.signal)).toBe(0);
    for (const row of await db.outboxMail.findMany({ where: { to: { in: recipients } } })) {
      expect(row).toMatchObject({ sentAt: null, attempts: 0, leaseUntil: null, claimId: null });
    }
    // Another instance (or this one, restarted) sends them at once.
    expect(await passesUntilIdle(new Date())).toBe(recipients.length);
    expect(await receivedBy(recipients)).toEqual([1, 1]);
  });

  it("gives back, untried, a mail it claimed as it was told to stop", async () => {
    const to = newEmail("stopping-mid-claim");
    await enqueueMail(mailTo(to));
    // Not stopped when the pass looks, stopped by the time its claim is made.
    let looks = 0;
    const stopDuringClaim = { get aborted() { return looks++ > 0; } } as AbortSignal;

    expect(await deliverDueMail(undefined, stopDuringClaim)).toBe(0);
    expect(await db.outboxMail.findFirstOrThrow({ where: { to } })).toMatchObject({ sentAt: null, attempts: 0, leaseUntil: null, claimId: null });
    expect(await receivedBy([to])).toEqual([0]);
  });

  it("keeps mail while SMTP is down, backing off, and sends it exactly once when SMTP is back", async () => {
    await sink.stop();
    const recipients = [newEmail("down"), newEmail("down"), newEmail("down")];
    for (const to of recipients) await enqueueMail(mailTo(to));
    const t0 = new Date();

    expect(await passesUntilIdle(t0)).toBe(0);
    let rows = await db.outboxMail.findMany({ where: { to: { in: recipients } } });
    for (const row of rows) {
      expect(row).toMatchObject({ sentAt: null, attempts: 1, leaseUntil: null, claimId: null });
      expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(row.nextAttemptAt).toEqual(later(t0, 5_000));
    }
    // Not due yet: nobody tries again before the backoff ends.
    expect(await deliverDueMail(later(t0, 4_000))).toBe(0);
    expect((await db.outboxMail.findMany({ where: { to: { in: recipients } } })).map((row) => row.attempts)).toEqual([1, 1, 1]);

    // The second failure waits twice as long.
    const t1 = later(t0, 5_000);
    expect(await passesUntilIdle(t1)).toBe(0);
    rows = await db.outboxMail.findMany({ where: { to: { in: recipients } } });
    for (const row of rows) {
      expect(row).toMatchObject({ sentAt: null, attempts: 2 });
      expect(row.nextAttemptAt).toEqual(later(t1, 10_000));
    }
    expect(await receivedBy(recipients)).toEqual([0, 0, 0]);

    // SMTP is back where the app expects it.
    sink = await startMailSink({ dir: setup.dir, port: sink.port });
    const t2 = later(t1, 10_000);
    expect(await passesUntilIdle(t2)).toBe(recipients.length);
    expect(await passesUntilIdle(later(t2, 3_600_000))).toBe(0);
    expect(await receivedBy(recipients)).toEqual([1, 1, 1]);
    rows = await db.outboxMail.findMany({ where: { to: { in: recipients } } });
    for (const row of rows) expect(row).toMatchObject({ sentAt: t2, attempts: 2, lastError: null });
  });

  it("after a restart, sends what a dead sender had claimed once its lease ends, and not before", async () => {
    const to = newEmail("restart");
    await enqueueMail(mailTo(to));
    const t0 = new Date();
    // A sender claims the mail, then its process dies before sending it.
    const orphan = await claimNextMail(t0);
    expect(orphan?.to).toBe(to);

    // The restarted server's passes within the lease leave it alone.
    expect(await deliverDueMail(later(t0, 1_000))).toBe(0);
    expect(await deliverDueMail(later(t0, LEASE_MS - 1))).toBe(0);
    expect(await receivedBy([to])).toEqual([0]);

    // Once the lease has ended, it goes out, once.
    expect(await deliverDueMail(later(t0, LEASE_MS))).toBe(1);
    expect(await deliverDueMail(later(t0, LEASE_MS + 1_000))).toBe(0);
    expect(await receivedBy([to])).toEqual([1]);
    // The dead sender's claim is worth nothing now.
    expect(await markSent(orphan!, later(t0, LEASE_MS + 2_000))).toBe(false);
  });
});
