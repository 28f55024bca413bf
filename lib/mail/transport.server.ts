import "server-only";
// SMTP through nodemailer, from SMTP_URL (smtp://user:pass@host:587 upgrades with STARTTLS when the server offers
// it; smtps://…:465 is TLS from the start). Options in the URL's query (?socketTimeout=…) override the defaults.
import nodemailer, { type Transporter } from "nodemailer";
import type { MailConfig } from "../config";
import type { MailMessage } from "./templates";

/**
 * Bounds on one SMTP conversation: the sum stays far inside the outbox's lease (LEASE_MS, 5 minutes), so a send
 * never outlives the claim that allowed it unless the process stalls.
 */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000, dnsTimeout: 10_000 };

export function createMailTransport(smtpUrl: string): Transporter {
  return nodemailer.createTransport({ url: smtpUrl, ...TIMEOUTS });
}

/**
 * The Message-ID of an outbox row: the same on every attempt, so that should a mail go out twice (the process
 * stopped after the SMTP server accepted it, before the row was marked sent), the copies can be recognised as one.
 */
export function messageIdFor(outboxId: string, appUrl: URL): string {
  return `<${outboxId}@${appUrl.hostname}>`;
}

/** Hands one outbox mail to the SMTP server; resolves once the server has accepted it. */
export async function sendMail(
  transport: Transporter,
  mail: MailMessage & { id: string },
  config: Pick<MailConfig, "appUrl" | "from">,
): Promise<void> {
  await transport.sendMail({
    from: config.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: messageIdFor(mail.id, config.appUrl),
    // RFC 3834: no vacation replies to an automatic mail.
    headers: { "Auto-Submitted": "auto-generated" },
  });
}
