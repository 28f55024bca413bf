import type { Metadata } from "next";
import { endOneSession, endOtherSessions } from "../actions";
import { SubmitButton } from "../../_components/submit-button";
import { withDatabase } from "../../_components/with-database";
import { formatDateTime } from "../../_components/format";
import { requireSession } from "@/lib/auth.server";
import { listActiveSessions } from "@/lib/sessions.server";

export const metadata: Metadata = { title: "Your sessions" };

export default withDatabase("/account/sessions", async function SessionsPage() {
  const { user, sessionId: current } = await requireSession("/account/sessions");
  const sessions = await listActiveSessions(user.id);
  return (
    <section className="card">
      <h1>Your sessions</h1>
      <p>Every browser and app signed in to your account. Signing one out ends it at once, everywhere.</p>
      <ul className="session-list">
        {sessions.map((session) => (
          <li key={session.id} className="session" data-testid="session">
            <div>
              <p className="session-title">
                {session.kind === "api" ? "API client" : "Browser"}
                {session.id === current ? <strong className="badge">This device</strong> : null}
              </p>
              <p className="session-detail">{session.userAgent ?? "Unknown client"}</p>
              <p className="session-detail">
                Signed in {formatDateTime(session.createdAt)} · last active {formatDateTime(session.lastSeenAt)}
                {session.ipPrefix ? ` · from ${session.ipPrefix}` : ""}
              </p>
            </div>
            <form action={endOneSession.bind(null, session.id)}>
              <SubmitButton variant="quiet">Sign out</SubmitButton>
            </form>
          </li>
        ))}
      </ul>
      {sessions.length > 1 ? (
        <form action={endOtherSessions}>
          <SubmitButton variant="danger">Sign out everywhere else</SubmitButton>
        </form>
      ) : null}
    </section>
  );
});
