import { usableProviders } from "@/lib/providers/clients.server";
import { continueWith } from "@/lib/providers/messages";
import { ProviderButton } from "./provider-button";

/** "Continue with Google", "Continue with GitHub", …: one button per configured provider that answers. None: nothing. */
export async function ContinueWithProviders({ next }: { next?: string }) {
  const providers = await usableProviders();
  if (providers.length === 0) return null;
  return (
    <div className="providers" aria-label="Sign in with another account" role="group">
      {providers.map((provider) => (
        <ProviderButton key={provider.id} provider={provider.id} intent="sign-in" next={next} label={continueWith(provider.name)} />
      ))}
    </div>
  );
}
