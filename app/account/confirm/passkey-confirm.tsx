"use client";
// "Use a passkey" on /account/confirm: the browser offers the person's own passkeys; on success the server sends
// them back to what they were doing. Needs JavaScript, and says so without it.
import { useState, useTransition } from "react";
import { unstable_rethrow } from "next/navigation";
import { startAuthentication } from "@simplewebauthn/browser";
import { browserFailureMessage } from "../../_lib/passkey-browser";
import { PasskeyButton, usePasskeySupport } from "../../_components/passkey-button";
import { confirmWithPasskey, passkeyStepUpOptions } from "./passkey-actions";
import { PASSKEY_MESSAGES } from "@/lib/passkeys/messages";

const FAILED = PASSKEY_MESSAGES["step-up"];

export function PasskeyConfirm({ returnTo }: { returnTo: string }) {
  const support = usePasskeySupport();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

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
    <PasskeyButton
      className="passkey-confirm"
      label="Use a passkey"
      support={support}
      pending={pending}
      onClick={onClick}
      error={error}
    />
  );
}
