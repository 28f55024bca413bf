"use client";
// "Add a passkey": the browser makes a credential on this device (or a phone, or a security key) and the server
// stores it. Needs JavaScript: without it the button stays disabled and says so.
import { useEffect, useState, useTransition } from "react";
import { unstable_rethrow } from "next/navigation";
import { browserSupportsWebAuthn, startRegistration } from "@simplewebauthn/browser";
import { browserFailureMessage, NO_PASSKEY_SUPPORT, PASSKEYS_NEED_JAVASCRIPT } from "../../_components/passkey-browser";
import { addPasskey, passkeyRegistrationOptions } from "./passkey-actions";

const FAILED = "That passkey could not be added. Please try again.";

export function AddPasskey() {
  const [supported, setSupported] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  useEffect(() => setSupported(browserSupportsWebAuthn()), []);

  function onClick() {
    setError(null);
    setAdded(null);
    // A transition: a redirect from the server (a session too old to add a factor goes to confirm first) navigates.
    startTransition(async () => {
      try {
        const options = await passkeyRegistrationOptions();
        if (!options.ok) return setError(options.error);
        const response = await startRegistration({ optionsJSON: options.options });
        const result = await addPasskey(response);
        if (result.ok) setAdded(result.name);
        else setError(result.error);
      } catch (failure) {
        unstable_rethrow(failure);
        setError(browserFailureMessage(failure, FAILED));
      }
    });
  }

  return (
    <div className="passkey-add">
      <div aria-live="assertive">
        {error ? (
          <p role="alert" className="form-error">
            {error}
          </p>
        ) : null}
      </div>
      <div aria-live="polite">
        {added ? (
          <p role="status" className="form-notice">
            Passkey added as “{added}”. You can rename it above.
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
        Add a passkey
        {pending ? <span className="spinner" aria-hidden="true" /> : null}
      </button>
      {supported === null ? <p className="field-hint">{PASSKEYS_NEED_JAVASCRIPT}</p> : null}
      {supported === false ? <p className="field-hint">{NO_PASSKEY_SUPPORT}</p> : null}
    </div>
  );
}
