import type { CurrentSession } from "@/lib/sessions/data-access.server";
import { listConnections } from "@/lib/providers/accounts.server";
import { usableProviders } from "@/lib/providers/clients.server";
import { confirmWithLabel } from "@/lib/providers/messages";
import { ProviderButton } from "../../_components/provider-button";

/**
 * Confirming who you are at a connected provider: it is asked for a fresh sign-in (prompt=login, max_age=0), and only
 * the identity connected to this account counts. The way in for an account made through a provider, with no password.
 */
export async function ProviderOption({ session, returnTo }: { session: CurrentSession; returnTo: string }) {
  const [connections, usable] = await Promise.all([listConnections(session.user.id), usableProviders()]);
  const connected = new Set(connections.map((connection) => connection.provider));
  const providers = usable.filter((settings) => connected.has(settings.id));
  if (providers.length === 0) return null;
  return (
    <section aria-labelledby="confirm-provider-heading">
      <h2 id="confirm-provider-heading">With a connected account</h2>
      <div className="providers">
        {providers.map((settings) => (
          <ProviderButton key={settings.id} provider={settings.id} intent="confirm" next={returnTo} label={confirmWithLabel(settings.name)} />
        ))}
      </div>
    </section>
  );
}
