// /dev/mail/[id]: one mail of the outbox. The text part with its links clickable; the HTML part only inside a
// sandboxed frame (no script, no same-origin access, and this page's Content Security Policy), never in the page.
// A development-only page: see ../dev-only.ts.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DateTime } from "../../../_components/date-time";
import { isRecordId } from "@/lib/db/record-id";
import { findOutboxMail } from "@/lib/mail/outbox.server";
import { developmentOnly } from "../dev-only";
import { DEV_MAIL_PATH } from "@/lib/routes";

export const metadata: Metadata = { title: "Mail (development)" };

const LINK = /(https?:\/\/[^\s<>"]+)/;

/** The text with every http(s) address as a link; React escapes the rest. */
function TextPart({ text }: { text: string }) {
  return (
    <pre className="dev-mail-text">
      {text.split(LINK).map((part, i) =>
        i % 2 === 1 ? (
          <a key={i} href={part}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </pre>
  );
}

export default async function DevMailMessagePage({ params }: { params: Promise<{ id: string }> }) {
  await developmentOnly();
  const { id } = await params;
  const mail = isRecordId(id) ? await findOutboxMail(id) : null;
  if (!mail) notFound();
  return (
    <section className="card wide">
      <p>
        <Link href={DEV_MAIL_PATH}>All mail</Link>
      </p>
      <h1>{mail.subject}</h1>
      <dl>
        <dt>To</dt>
        <dd>{mail.to}</dd>
        <dt>Written</dt>
        <dd>
          <DateTime date={mail.createdAt} />
        </dd>
        <dt>Sent</dt>
        <dd>{mail.sentAt ? <DateTime date={mail.sentAt} /> : "not sent"}</dd>
        {mail.lastError ? (
          <>
            <dt>Last error</dt>
            <dd>{mail.lastError}</dd>
          </>
        ) : null}
      </dl>
      {mail.sentAt ? (
        <p>Its body was removed from the outbox once it was sent: the database keeps links only until then.</p>
      ) : (
        <>
          <h2>Text</h2>
          <TextPart text={mail.text} />
          <h2>HTML</h2>
          <iframe className="dev-mail-html" title="The HTML part" sandbox="" srcDoc={mail.html} />
        </>
      )}
    </section>
  );
}
