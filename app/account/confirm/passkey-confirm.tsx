"use client";
// "Use a passkey" on /account/confirm: the browser offers the person's own passkeys; on success the server sends
// them back to what they were doing. Needs JavaScript, and says so without it.
import { useEffect, useState, useTransition } from "react";
import { unstable_rethrow } from "next/navigation";
import { browserSupportsWebAuthn, startAuthentication } from "@simplewebauthn/browser";
import { browserFailureMessage, NO_PASSKEY_SUPPORT, PASSKEYS_NEED_JAVASCRIPT } from "../../_components/passkey-browser";
import { confirmWithPasskey, passkeyStepUpOptions } from "./passkey-actions";

const FAILED = "That passkey could not confirm it is you.";

export function PasskeyConfirm({ returnTo }: { returnTo: string }) {
  const [supported, setSupported] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  useEffect(() => setSupported(browserSupportsWebAuthn()), []);

  function onClick() {
    setError(null);
    // A transition, so the server's redirect back to `returnTo` navigates.
    startTransition(async () => {
      try {
        const options = await passkeyStepUpOptions();
        if (!options.ok) return setError(options.error);
        const response = await startAuthentication({ optionsJSON: options.options });
        const result = await confirmWithPasskey(response, returnTo);
        setError(result.error);
      } catch (failure) {
        unstable_rethrow(failure);
        setError(browserFailureMessage(failure, FAILED));
      }
    });
  }

  return (
    <div className="passkey-confirm">
      <div aria-live="assertive">
        {error ? (
          <p role="alert" className="form-error">
            {error}
          </p>
        ) : null}
      </div>
      <button
        type="button"
        className="button button-primary"
        onClick={onClick}
        disabled={supported !== true || pending}
        aria-busy={pending}
      >
        Use a passkey
        {pending ? <span className="spinner" aria-hidden="true" /> : null}
      </button>
      {supported === null ? <p className="field-hint">{PASSKEYS_NEED_JAVASCRIPT}</p> : null}
      {supported === false ? <p className="field-hint">{NO_PASSKEY_SUPPORT}</p> : null}
    </div>
  );
}
