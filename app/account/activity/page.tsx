import type { Metadata } from "next";
import Link from "next/link";
import { EventItem } from "./event-item";
import { withDatabase } from "../../_components/with-database";
import { requireSession } from "@/lib/sessions/data-access.server";
import { ActivityCursorError, listEvents } from "@/lib/activity/list.server";
import { ACTIVITY_MESSAGES, WASNT_ME_MESSAGES } from "@/lib/activity/messages";
import { ACTIVITY_PATH, WASNT_ME_PATH } from "@/lib/routes";

export const metadata: Metadata = { title: "Security activity" };

type Props = { searchParams: Promise<{ cursor?: string | string[] }> };

export default withDatabase(ACTIVITY_PATH, async function ActivityPage({ searchParams }: Props) {
  const { user, sessionId: current } = await requireSession(ACTIVITY_PATH);
  const { cursor } = await searchParams;
  const page = await listEvents(user.id, { cursor: typeof cursor === "string" ? cursor : null }).catch((error: unknown) => {
    // A cursor typed or altered by hand: the newest page instead.
    if (error instanceof ActivityCursorError) return listEvents(user.id);
    throw error;
  });
  return (
    <section className="card">
      <h1>Security activity</h1>
      <p>Sign-ins, failed attempts and changes to your account, newest first. Something you don’t recognise? Change your password.</p>
      {page.events.length === 0 ? <p>{ACTIVITY_MESSAGES.empty}</p> : null}
      <ul className="session-list">
        {page.events.map((event) => (
          <EventItem
            key={event.id}
            event={event}
            action={
              // Beside every sign-in but this browser's own: a confirmation page, then everyone is signed out.
              event.kind === "signed-in" && event.sessionId !== current ? (
                <Link href={WASNT_ME_PATH} className="button button-quiet">
                  {WASNT_ME_MESSAGES.link}
                </Link>
              ) : null
            }
          />
        ))}
      </ul>
      <nav aria-label="Pages" className="link-list">
        {cursor ? <Link href={ACTIVITY_PATH}>{ACTIVITY_MESSAGES.newest}</Link> : null}
        {page.nextCursor ? <Link href={`${ACTIVITY_PATH}?${new URLSearchParams({ cursor: page.nextCursor })}`}>{ACTIVITY_MESSAGES.older}</Link> : null}
      </nav>
    </section>
  );
});
