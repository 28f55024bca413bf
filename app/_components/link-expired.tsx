import Link from "next/link";

/** The one page for a mailed link that is expired, spent, altered or unknown, with the way to a new one. */
export function LinkExpired({ newLinkHref, newLinkLabel }: { newLinkHref: string; newLinkLabel: string }) {
  return (
    <section className="card narrow">
      <h1>This link has expired or was already used</h1>
      <p>Links in our mail work once, for a limited time. Nothing was changed.</p>
      <p>
        <Link href={newLinkHref}>{newLinkLabel}</Link>
      </p>
    </section>
  );
}
