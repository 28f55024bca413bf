"use client";
// "Add a passkey": the browser makes a credential on this device (or a phone, or a security key) and the server
// stores it. Needs JavaScript: without it the button stays disabled and says so.
import { useState, useTransition } from "react";
import { unstable_rethrow } from "next/navigation";
import { startRegistration } from "@simplewebauthn/browser";
import { browserFailureMessage } from "../../_lib/passkey-browser";
import { PasskeyButton, usePasskeySupport } from "../../_components/passkey-button";
import { addPasskey, passkeyRegistrationOptions } from "./passkey-actions";
import { PASSKEY_MESSAGES } from "@/lib/passkeys/messages";

const FAILED = PASSKEY_MESSAGES["registration"];

export function AddPasskey() {
  const support = usePasskeySupport();
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

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
    <PasskeyButton
      className="passkey-add"
      label="Add a passkey"
      support={support}
      pending={pending}
      onClick={onClick}
      error={error}
      notice={added ? `Passkey added as “${added}”. You can rename it above.` : null}
    />
  );
}
