// Mail is never lost: asked for while the SMTP server is down, across a restart of the app, it arrives once
// SMTP is back, exactly once. A server of its own, on a database of its own, so that the suite's server (which
// sends from the same outbox when they share one) cannot deliver it first.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "./support/fixtures";
import { freePort, startServer, type ExtraServer } from "./support/extra-server";
import { mailbox } from "./support/mailbox";
import { PASSWORD, newEmail } from "./support/users";
import { createDatabaseClient } from "../lib/db/client.server";
import { startMailSink } from "../scripts/mail-sink.mjs";
import { createTestDatabase } from "../scripts/test-database.mjs";

test("a reset asked for while SMTP is down, with a restart in between, is mailed once SMTP is back", { tag: "@db" }, async ({ page }) => {
  // Bounds, not delays: every wait below ends as soon as its outcome comes. Two server starts and the sender's
  // backoff (5 s, then 10 s, ...) can take most of a minute on a 2-core machine busy with the rest of the suite.
  test.setTimeout(180_000);
  const provider = process.env.DATABASE_URL?.startsWith("postgres") ? "postgresql" : "sqlite";
  const database = await createTestDatabase(provider);
  if (!database) throw new Error("no test database");
  const db = createDatabaseClient(database.url);
  const smtpPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "tessera-mail-down-"));
  const settings = { DATABASE_URL: database.url, SMTP_URL: `smtp://127.0.0.1:${smtpPort}` };
  let server: ExtraServer | null = await startServer(settings);
  let sink: Awaited<ReturnType<typeof startMailSink>> | null = null;
  try {
    const email = newEmail("smtp-down");
    await page.goto(`${server.url}/sign-up`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(`${server.url}/account`);

    const asked = await fetch(`${server.url}/api/auth/forgot-password`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email }),
    });
    expect(asked.status).toBe(202);
    // The sender tried, failed, and kept the mail for later.
    const reset = { to: email, subject: "Reset your Tessera password" };
    await expect.poll(async () => (await db.outboxMail.findFirst({ where: reset }))?.attempts ?? 0, { timeout: 20_000 }).toBeGreaterThan(0);
    expect((await db.outboxMail.findFirstOrThrow({ where: reset })).sentAt).toBeNull();

    // The app restarts while SMTP is still down; then SMTP comes back where SMTP_URL points.
    await server.stop();
    server = await startServer(settings);
    sink = await startMailSink({ dir, port: smtpPort });

    const received = mailbox(dir);
    const mail = await received.waitForMail(reset, { timeoutMs: 100_000 });
    expect(mail.links.some((link) => new URL(link).pathname === "/reset-password")).toBe(true);
    await expect.poll(async () => (await db.outboxMail.findFirstOrThrow({ where: reset })).sentAt, { timeout: 20_000 }).not.toBeNull();
    expect(await received.mailsTo(email, { subject: reset.subject })).toHaveLength(1);
  } finally {
    await server?.stop();
    await sink?.stop();
    await db.$disconnect();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});
