// The mail channel of the production build: its sender delivers what the outbox holds to the suite's SMTP server
// (scripts/mail-sink.mjs), once; without SMTP_URL it says so at start; and the development server's mail viewer,
// /dev/mail, is not in it at all.
import { db } from "./support/db";
import { startServer } from "./support/extra-server";
import { expect, test } from "./support/fixtures";
import { linkTo, mailsTo, waitForMail } from "./support/mailbox";
import { baseURL } from "./support/server";
import { newEmail } from "./support/users";
import { enqueueMail } from "../lib/mail/outbox.server";
import { passwordResetMail } from "../lib/mail/templates";

test("the server delivers outbox mail over SMTP, once, with a Message-ID made from its row", { tag: "@db" }, async () => {
  const to = newEmail();
  const link = new URL(`/reset-password#token=${to}`, baseURL);
  const since = Date.now();
  const { id } = await enqueueMail(passwordResetMail(to, link, 30));

  // Nobody wakes the sender from here: its poll finds the mail.
  const mail = await waitForMail({ to, subject: "Reset your Tessera password", after: since });
  expect(mail.links).toEqual([link.href]);
  expect(linkTo(mail, "/reset-password")).toBe(link.href);
  expect(mail.html).toContain(link.href.replace(/&/g, "&amp;"));
  expect(mail.messageId).toBe(`<${id}@localhost>`);
  await expect.poll(async () => (await db.outboxMail.findUniqueOrThrow({ where: { id } })).sentAt).not.toBeNull();
  expect(await mailsTo(to)).toHaveLength(1);
});

test("the production build has no /dev/mail: 404, and no mail shown", async () => {
  const to = newEmail();
  const { id } = await enqueueMail(passwordResetMail(to, new URL("/reset-password#token=secret-token", baseURL), 30));
  for (const path of ["/dev/mail", `/dev/mail/${id}`]) {
    const response = await fetch(`${baseURL}${path}`, { redirect: "manual" });
    expect(response.status, path).toBe(404);
    const body = await response.text();
    expect(body).not.toContain(to);
    expect(body).not.toContain("secret-token");
  }
});

test("a production server without SMTP_URL says at start, in one line, that mail stays in the outbox", async () => {
  const server = await startServer({ SMTP_URL: undefined });
  try {
    const lines = () => server.output().split("\n").filter((line) => line.includes("SMTP_URL"));
    await expect.poll(lines).toEqual([expect.stringContaining("SMTP_URL is not set, so mail is kept in the outbox table, unsent")]);
  } finally {
    await server.stop();
  }
});
