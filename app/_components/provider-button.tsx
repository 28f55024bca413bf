import { providerStartPath } from "@/lib/routes";
import type { ProviderId } from "@/lib/config/providers";

/**
 * A provider's button: a form POSTed to /auth/<provider> without script (a GET would let any site start a sign-in
 * or a connect in the person's browser). `next` goes through the same return-path check as the password form's.
 */
export function ProviderButton({ provider, intent, next, label }: { provider: ProviderId; intent: "sign-in" | "connect" | "confirm"; next?: string; label: string }) {
  return (
    <form method="post" action={providerStartPath(provider)} className="provider-form">
      <input type="hidden" name="intent" value={intent} />
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <button type="submit" className="button button-quiet">
        {label}
      </button>
    </form>
  );
}
