import type { Metadata } from "next";
import { endOneSession, endOtherSessions } from "../actions";
import { DateTime } from "../../_components/date-time";
import { SubmitButton } from "../../_components/submit-button";
import { withDatabase } from "../../_components/with-database";
import { requireSession } from "@/lib/sessions/data-access.server";
import { describeAddress } from "@/lib/http/client-info";
import { describeDevice } from "@/lib/http/devices";
import { listActiveSessions } from "@/lib/sessions/store.server";
import { describeSignInMethod } from "@/lib/tokens/sign-in-methods";
import { SESSIONS_PATH } from "@/lib/routes";

export const metadata: Metadata = { title: "Your sessions" };

export default withDatabase(SESSIONS_PATH, async function SessionsPage() {
  const { user, sessionId: current } = await requireSession(SESSIONS_PATH);
  const sessions = await listActiveSessions(user.id);
  return (
    <section className="card">
      <h1>Your sessions</h1>
      <p>Every browser and app signed in to your account. Signing one out ends it at once, everywhere.</p>
      <ul className="session-list">
        {sessions.map((session) => {
          const address = describeAddress(session.ipPrefix);
          return (
            <li key={session.id} className="session" data-testid="session">
              <div>
                <p className="session-title">
                  <span data-testid="session-device">{describeDevice(session.userAgent)}</span>
                  {session.id === current ? <strong className="badge">This device</strong> : null}
                </p>
                <p className="session-detail">
                  {session.kind === "api" ? "API client" : "Browser"}
                  {address ? ` · from ${address}` : ""}
                </p>
                <p className="session-detail" data-testid="session-method">
                  Signed in with {describeSignInMethod(session.method)}
                </p>
                <p className="session-detail">
                  Signed in <DateTime date={session.createdAt} /> · last active <DateTime date={session.lastSeenAt} />
                </p>
              </div>
              <form action={endOneSession.bind(null, session.id)}>
                <SubmitButton variant="quiet">Sign out</SubmitButton>
              </form>
            </li>
          );
        })}
      </ul>
      {sessions.length > 1 ? (
        <form action={endOtherSessions}>
          <SubmitButton variant="danger">Sign out everywhere else</SubmitButton>
        </form>
      ) : null}
    </section>
  );
});
