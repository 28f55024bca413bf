import "server-only";
// The mail sender, inside each server process: a pass every POLL_MS, and one at once when a request has just
// committed mail (wakeMailSender). Every instance runs one; the outbox's leases make each mail go out from one
// of them only. What happens without SMTP_URL, and the window where a mail can go out twice:
// docs/decisions/0008-mail-outbox.md.
import { isProduction, mailConfig } from "../config";
import { DEV_MAIL_PATH } from "../routes";
import { claimNextMail, markFailed, markSent, purgeSentMail, releaseClaim, retryDelayMs, unsentMailSince } from "./outbox.server";
import { purgeExpiredOneTimeTokens } from "../tokens/one-time-tokens.server";
import { createMailTransport, sendMail } from "./transport.server";

const POLL_MS = 2_000;
/** Mail sent per pass at most, so that one pass never runs for long; the next pass picks up the rest. */
const MAX_PER_PASS = 50;
const PURGE_EVERY_MS = 60 * 60_000;

interface SenderState {
  started: boolean;
  timer: ReturnType<typeof setInterval> | null;
  /** The pass running now, if any; a wake during it asks for one more pass after it. */
  running: Promise<void> | null;
  again: boolean;
  transport: { url: string; transporter: ReturnType<typeof createMailTransport> } | null;
  lastPurgeMs: number;
  /** The last pass failed as a whole (the database, say): said once, not every two seconds. */
  failing: boolean;
  /** Aborted when the process is told to stop: no mail is claimed after that (stopMailSender). */
  stop: AbortController;
  /** Development without SMTP: mail already printed on the console, and since when to look. */
  printed: Set<string>;
  printSince: Date;
}

// On globalThis, so that there is one sender per process however many copies of this module run: Next.js bundles
// instrumentation.node.ts (which starts the sender) apart from the pages and actions (which wake it), and `next dev`
// evaluates modules again after an edit.
const globalForSender = globalThis as unknown as { tesseraMailSender?: SenderState };

function state(): SenderState {
  globalForSender.tesseraMailSender ??= {
    started: false,
    timer: null,
    running: null,
    again: false,
    transport: null,
    lastPurgeMs: 0,
    failing: false,
    stop: new AbortController(),
    printed: new Set(),
    printSince: new Date(),
  };
  return globalForSender.tesseraMailSender;
}

function transportFor(url: string) {
  const current = state();
  if (current.transport?.url !== url) current.transport = { url, transporter: createMailTransport(url) };
  return current.transport.transporter;
}

/** A failure of the connection itself (refused, timed out, TLS), as opposed to the server refusing one mail. */
function isConnectionFailure(error: unknown): boolean {
  return typeof error !== "object" || error === null || typeof (error as { responseCode?: unknown }).responseCode !== "number";
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * One pass: claims due mail one row at a time, sends it, marks it sent (or failed, to be retried after a
 * backoff). Returns how many were sent. `now` fixes the clock, for tests; by default each step reads it afresh.
 * Once `stop` is aborted no further mail is claimed. Without SMTP_URL nothing is sent: development prints new
 * mail on the console instead.
 */
export async function deliverDueMail(now?: Date, stop?: AbortSignal): Promise<number> {
  const clock = () => now ?? new Date();
  const config = mailConfig();
  if (config.smtpUrl === null) {
    if (!isProduction()) await printNewMail();
    return 0;
  }
  const transport = transportFor(config.smtpUrl);
  let sent = 0;
  for (let i = 0; i < MAX_PER_PASS && !stop?.aborted; i++) {
    const mail = await claimNextMail(clock());
    if (!mail) break;
    // Told to stop while claiming: another instance, or this one restarted, sends it.
    if (stop?.aborted) {
      await releaseClaim(mail);
      break;
    }
    try {
      await sendMail(transport, mail, config);
    } catch (error) {
      await markFailed(mail, error, clock());
      console.error(
        `Mail ${mail.id}: attempt ${mail.attempts + 1} failed (${describe(error)}); it stays in the outbox and is tried again in ${retryDelayMs(mail.attempts + 1) / 1000} s.`,
      );
      // The server is out of reach: the other mail would fail the same way. The next pass tries again.
      if (isConnectionFailure(error)) break;
      continue;
    }
    if (await markSent(mail, clock())) sent++;
    else console.error(`Mail ${mail.id}: sent after its lease had expired; another claim may send it too (same Message-ID).`);
  }
  const current = state();
  if (clock().getTime() - current.lastPurgeMs >= PURGE_EVERY_MS) {
    current.lastPurgeMs = clock().getTime();
    await purgeSentMail(clock());
    // The links those mails carried: a token a day past its expiry can do nothing, and it names an address.
    await purgeExpiredOneTimeTokens(clock());
  }
  return sent;
}

const LINK = /https?:\/\/[^\s<>"]+/g;

/** Development without SMTP: each new mail's recipient, subject and links, once, on the console. */
async function printNewMail(): Promise<void> {
  const current = state();
  for (const mail of await unsentMailSince(current.printSince)) {
    if (current.printed.has(mail.id)) continue;
    current.printed.add(mail.id);
    current.printSince = mail.createdAt;
    const links = [...new Set(mail.text.match(LINK) ?? [])];
    console.log(
      [
        `Mail (kept in the outbox, not sent: SMTP_URL is not set) to ${mail.to}: "${mail.subject}"`,
        ...links.map((link) => `  ${link}`),
        `  Read it at ${new URL(`${DEV_MAIL_PATH}/${mail.id}`, mailConfig().appUrl).href}`,
      ].join("\n"),
    );
  }
}

async function pass(): Promise<void> {
  const current = state();
  try {
    await deliverDueMail(undefined, current.stop.signal);
    if (current.failing) console.error("Mail: the sender works again.");
    current.failing = false;
  } catch (error) {
    if (!current.failing) console.error(`Mail: a sender pass failed (${describe(error)}); retrying every ${POLL_MS / 1000} s.`);
    current.failing = true;
  }
}

/**
 * Asks for a pass now: call it once a transaction that enqueued mail has committed, so the mail goes out at
 * once rather than at the next poll. Returns at once; never throws. Does nothing before startMailSender.
 */
export function wakeMailSender(): void {
  const current = state();
  if (!current.timer) return;
  if (current.running) {
    current.again = true;
    return;
  }
  current.running = (async () => {
    do {
      current.again = false;
      await pass();
    } while (current.again);
  })().finally(() => {
    current.running = null;
  });
}

/**
 * Starts this process's sender (instrumentation.node.ts, at server start); a second call does nothing. Its timer
 * never keeps the process alive. Production without SMTP_URL says so in one line and sends nothing.
 */
export function startMailSender(): void {
  const current = state();
  if (current.started) return;
  current.started = true;
  const { smtpUrl } = mailConfig();
  if (smtpUrl === null) {
    if (isProduction()) {
      console.warn(
        "Mail: SMTP_URL is not set, so mail is kept in the outbox table, unsent, until the server runs with SMTP_URL; then it all goes out (docs/decisions/0008-mail-outbox.md).",
      );
      return;
    }
    console.log("Mail: SMTP_URL is not set: mail stays in the outbox, is printed here, and is shown at /dev/mail.");
  }
  current.timer = setInterval(wakeMailSender, POLL_MS);
  current.timer.unref();
  // Beside Next.js's own handlers, which close the server and then exit: a mail claimed during that shutdown
  // would stay leased for LEASE_MS, held by a process that is gone, and reach no one for five minutes. Only beside
  // them: a listener of ours alone would keep the signal from ending the process.
  for (const signal of ["SIGTERM", "SIGINT"] as const) if (process.listenerCount(signal) > 0) process.once(signal, stopMailSender);
  wakeMailSender();
}

/** Claims no more mail in this process: the pass under way finishes the mail it holds. */
export function stopMailSender(): void {
  const current = state();
  if (current.timer) clearInterval(current.timer);
  current.timer = null;
  current.stop.abort();
}
