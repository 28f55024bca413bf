// /dev/mail: the outbox, newest first, for development without a mail server (no SMTP_URL: mail stays here).
// A development-only page: see dev-only.ts.
import type { Metadata } from "next";
import Link from "next/link";
import { DateTime } from "../../_components/date-time";
import { listOutbox } from "@/lib/mail/outbox.server";
import { developmentOnly } from "./dev-only";
import { DEV_MAIL_PATH } from "@/lib/routes";

export const metadata: Metadata = { title: "Mail (development)" };

export default async function DevMailPage() {
  await developmentOnly();
  const mails = await listOutbox();
  return (
    <section className="card wide">
      <h1>Mail</h1>
      <p>
        Every mail in the outbox, newest first. Without <code>SMTP_URL</code> nothing is sent: it stays here, and the
        console prints its links.
      </p>
      {mails.length === 0 ? (
        <p>No mail yet.</p>
      ) : (
        <table className="dev-mail">
          <thead>
            <tr>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Written</th>
              <th scope="col">Sent</th>
            </tr>
          </thead>
          <tbody>
            {mails.map((mail) => (
              <tr key={mail.id}>
                <td>{mail.to}</td>
                <td>
                  <Link href={`${DEV_MAIL_PATH}/${mail.id}`}>{mail.subject}</Link>
                </td>
                <td>
                  <DateTime date={mail.createdAt} />
                </td>
                <td>
                  {mail.sentAt ? (
                    <DateTime date={mail.sentAt} />
                  ) : mail.attempts > 0 ? (
                    `not sent (${mail.attempts} failed ${mail.attempts === 1 ? "attempt" : "attempts"})`
                  ) : (
                    "not sent"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
