import type { CurrentSession } from "@/lib/sessions/data-access.server";
import { providersConfig, providerName, providerSettings } from "@/lib/config/providers";
import { canDisconnectAny, listConnections } from "@/lib/providers/accounts.server";
import { usableProviders } from "@/lib/providers/clients.server";
import { CONNECT_NOTICES, connectLabel, isConnectNotice, PROVIDER_MESSAGES } from "@/lib/providers/messages";
import { DateTime } from "../../_components/date-time";
import { ProviderButton } from "../../_components/provider-button";
import { SubmitButton } from "../../_components/submit-button";
import { disconnectProviderAction } from "./provider-actions";

/** What a connect or disconnect left to say, from the address: only the app's own sentences. */
function noticeFor(notice: unknown, provider: unknown): string | null {
  const settings = providerSettings(provider);
  if (!settings) return null;
  if (isConnectNotice(notice)) return CONNECT_NOTICES[notice](settings.name);
  if (notice === "disconnected") return PROVIDER_MESSAGES.disconnected;
  if (notice === "last-way-in") return PROVIDER_MESSAGES.disconnectLast;
  return null;
}

/** "Connected accounts": each one with the email it gave and when it was last used; "Connect …" for the others. */
export async function ConnectedAccounts({ session, notice, provider }: { session: CurrentSession; notice: unknown; provider: unknown }) {
  if (providersConfig().providers.length === 0) return null;
  const [connections, usable, removable] = await Promise.all([
    listConnections(session.user.id),
    usableProviders(),
    canDisconnectAny(session.user.id),
  ]);
  const connected = new Set(connections.map((connection) => connection.provider));
  const message = noticeFor(notice, provider);
  return (
    <section aria-labelledby="connected-heading">
      <h2 id="connected-heading">{PROVIDER_MESSAGES.heading}</h2>
      <p>{PROVIDER_MESSAGES.intro}</p>
      {message ? (
        <p role="status" className="form-notice">
          {message}
        </p>
      ) : null}
      {connections.length > 0 ? (
        <ul className="session-list" aria-label="Your connected accounts">
          {connections.map((connection) => (
            <li key={connection.provider} className="session" data-testid="connection">
              <div>
                <p className="session-title">{providerName(connection.provider)}</p>
                <p className="session-detail">
                  {connection.email ?? "No email given"} · connected <DateTime date={connection.createdAt} /> ·{" "}
                  {connection.lastUsedAt ? (
                    <>
                      last used <DateTime date={connection.lastUsedAt} />
                    </>
                  ) : (
                    "not used yet"
                  )}
                </p>
                {removable ? null : <p className="session-detail">{PROVIDER_MESSAGES.disconnectLast}</p>}
              </div>
              <form action={disconnectProviderAction.bind(null, connection.provider)}>
                <SubmitButton variant="danger">Disconnect</SubmitButton>
              </form>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="providers">
        {usable
          .filter((settings) => !connected.has(settings.id))
          .map((settings) => (
            <ProviderButton key={settings.id} provider={settings.id} intent="connect" label={connectLabel(settings.name)} />
          ))}
      </div>
    </section>
  );
}
