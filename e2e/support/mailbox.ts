// The mail that reached the test SMTP server (scripts/mail-sink.mjs), parsed: read it, follow its links.
//
//   const since = Date.now();
//   ...ask for a reset...
//   const mail = await waitForMail({ to: email, subject: "Reset your Tessera password", after: since });
//   await page.goto(linkTo(mail, "/reset-password"));
//   expect(await mailsTo(email)).toHaveLength(1);
//
// scripts/e2e.mjs starts the sink for the suite and names its folder in E2E_MAIL_DIR; `mailbox(dir)` reads any
// other folder (test/integration/outbox.test.ts runs a sink of its own).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { simpleParser, type AddressObject } from "mailparser";

export interface ReceivedMail {
  /** Every recipient in To, lower case. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Every http(s) address in the text part, in order, each once: the links to follow. */
  links: string[];
  messageId: string;
  /** The sender's address (From), lower case. */
  from: string;
  /** When the SMTP server received it. */
  receivedAt: Date;
  /** The message as sent, headers and all. */
  raw: string;
  file: string;
}

export interface MailQuery {
  to: string;
  /** The exact subject, or a pattern. Any subject when absent. */
  subject?: string | RegExp;
  /** Only mail received at or after this moment (a Date or Date.now()). */
  after?: Date | number;
}

const WAIT_MS = 10_000;
const POLL_MS = 100;
const LINK = /https?:\/\/[^\s<>"']+/g;

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((object) => object.value.map((entry) => (entry.address ?? "").toLowerCase()));
}

function linksIn(text: string): string[] {
  const found = (text.match(LINK) ?? []).map((link) => link.replace(/[.,;:!?)\]]+$/, ""));
  return [...new Set(found)];
}

function matches(mail: ReceivedMail, query: MailQuery): boolean {
  if (!mail.to.includes(query.to.toLowerCase())) return false;
  if (query.after !== undefined && mail.receivedAt.getTime() < new Date(query.after).getTime()) return false;
  if (query.subject === undefined) return true;
  return typeof query.subject === "string" ? mail.subject === query.subject : query.subject.test(mail.subject);
}

export interface Mailbox {
  /** Every mail received so far, oldest first. */
  all(): Promise<ReceivedMail[]>;
  /** Every mail to this address (and matching the rest of the query), oldest first. */
  mailsTo(to: string, query?: Omit<MailQuery, "to">): Promise<ReceivedMail[]>;
  /** The oldest mail matching the query, waiting up to 10 s for it to arrive; throws, saying what did, when none. */
  waitForMail(query: MailQuery, options?: { timeoutMs?: number }): Promise<ReceivedMail>;
}

/** The mail in a sink's folder. */
export function mailbox(dir: string | undefined = process.env.E2E_MAIL_DIR): Mailbox {
  if (!dir) throw new Error("E2E_MAIL_DIR is not set: run the suite through scripts/e2e.mjs, which starts the test SMTP server.");
  const parsed = new Map<string, Promise<ReceivedMail>>();

  const parse = async (file: string): Promise<ReceivedMail> => {
    const raw = readFileSync(join(dir, file), "utf8");
    const message = await simpleParser(raw);
    const text = message.text ?? "";
    return {
      to: addresses(message.to),
      subject: message.subject ?? "",
      text,
      html: message.html || "",
      links: linksIn(text),
      messageId: message.messageId ?? "",
      from: addresses(message.from)[0] ?? "",
      receivedAt: new Date(Number(file.split("-")[0])),
      raw,
      file,
    };
  };

  const all = async () => {
    const files = readdirSync(dir).filter((name) => name.endsWith(".eml")).sort();
    for (const file of files) if (!parsed.has(file)) parsed.set(file, parse(file));
    return Promise.all(files.map((file) => parsed.get(file)!));
  };

  const mailsTo = async (to: string, query: Omit<MailQuery, "to"> = {}) =>
    (await all()).filter((mail) => matches(mail, { ...query, to }));

  return {
    all,
    mailsTo,
    async waitForMail(query, { timeoutMs = WAIT_MS } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = await mailsTo(query.to, query);
        if (found[0]) return found[0];
        if (Date.now() > deadline) {
          const received = (await mailsTo(query.to)).map((mail) => `"${mail.subject}" at ${mail.receivedAt.toISOString()}`);
          throw new Error(
            `No mail to ${query.to}${query.subject ? ` with subject ${String(query.subject)}` : ""} arrived within ${timeoutMs / 1000} s` +
              (received.length ? `; it received: ${received.join(", ")}` : "; it received none at all"),
          );
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },
  };
}

/** The link in a mail to `pathname` (on whatever origin), e.g. linkTo(mail, "/reset-password"); throws if none. */
export function linkTo(mail: ReceivedMail, pathname: string): string {
  const found = mail.links.find((link) => new URL(link).pathname === pathname);
  if (found === undefined) {
    throw new Error(`The mail "${mail.subject}" has no link to ${pathname}; its links: ${mail.links.join(", ") || "none"}.`);
  }
  return found;
}

let suiteMailbox: Mailbox | undefined;
const suite = () => (suiteMailbox ??= mailbox());

/** The oldest mail to `to` matching the query in the suite's sink, waiting up to 10 s for it. */
export const waitForMail = (query: MailQuery, options?: { timeoutMs?: number }) => suite().waitForMail(query, options);

/** Every mail to `to` in the suite's sink so far, oldest first. */
export const mailsTo = (to: string, query?: Omit<MailQuery, "to">) => suite().mailsTo(to, query);
