"use client";
// "Sign in with a passkey", and the browser's autofill offering passkeys in the email field (conditional
// mediation) where it can. Needs JavaScript: without it the button stays disabled and says so.
import { useCallback, useEffect, useRef, useState } from "react";
import {
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  WebAuthnAbortService,
} from "@simplewebauthn/browser";
import { browserFailureMessage, wasAborted } from "../_lib/passkey-browser";
import { PasskeyButton, usePasskeySupport } from "../_components/passkey-button";
import type { PasskeyOptionsResult, PasskeyOutcome } from "./passkey-actions";
import { PASSKEY_MESSAGES } from "@/lib/passkeys/messages";

/** The server's half, passed in (the page hands its server actions; the benchmark's baseline, stand-ins). */
export interface PasskeySignInActions {
  options: () => Promise<PasskeyOptionsResult>;
  signIn: (response: unknown, next: unknown) => Promise<PasskeyOutcome>;
}

const FAILED = PASSKEY_MESSAGES["sign-in"];
const MAX_AUTOFILL_REFUSALS = 3;

/** The server said no (or could not answer): its message is already fit to show. */
class ServerRefusal extends Error {}
/** No options came back: autofill is not offered again (that would loop), the button still works. */
class NoOptions extends ServerRefusal {}

function messageFor(failure: unknown): string {
  return failure instanceof ServerRefusal ? failure.message : browserFailureMessage(failure, FAILED);
}

export function PasskeySignIn({ next, actions }: { next: string; actions: PasskeySignInActions }) {
  const webAuthn = usePasskeySupport();
  // Whether the browser offers passkeys in the email field: null until it has said (the button waits for it, so
  // that a click never races the autofill request starting).
  const [autofill, setAutofill] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Set once signed in and leaving: no autofill request starts after that.
  const leaving = useRef(false);
  // Autofill is offered again after a refused passkey, a few times: an authenticator that answers by itself
  // (a test's, a misbehaving one) must not loop against the server.
  const refusals = useRef(0);

  /** One ceremony: options, the browser, then the server; on success the browser loads where it says. */
  const ceremony = useCallback(
    async (autofill: boolean): Promise<void> => {
      const options = await actions.options();
      if (!options.ok) throw new NoOptions(options.error);
      const response = await startAuthentication({ optionsJSON: options.options, useBrowserAutofill: autofill });
      const outcome = await actions.signIn(response, next);
      if (!outcome.ok) throw new ServerRefusal(outcome.error);
      leaving.current = true;
      window.location.assign(outcome.location);
    },
    [next, actions],
  );

  /** Autofill: the browser offers the site's passkeys in the email field, until one is used or it is aborted. */
  const listen = useCallback(() => {
    const offer = () => {
      if (leaving.current) return;
      ceremony(true).catch((failure: unknown) => {
        // The button took over (one ceremony at a time), or the page is going away.
        if (wasAborted(failure)) return;
        // A passkey the person picked and the server refused: say so, and offer autofill again. Anything else
        // (no options, the browser declining a request nobody made) is left quietly to the button.
        if (failure instanceof ServerRefusal && !(failure instanceof NoOptions)) {
          setError(messageFor(failure));
          if (++refusals.current < MAX_AUTOFILL_REFUSALS) offer();
        }
      });
    };
    offer();
  }, [ceremony]);

  useEffect(() => {
    if (webAuthn !== "ready") return;
    let cancelled = false;
    browserSupportsWebAuthnAutofill().then(
      (supported) => {
        if (cancelled) return;
        setAutofill(supported);
        if (supported) listen();
      },
      () => {
        if (!cancelled) setAutofill(false);
      },
    );
    return () => {
      cancelled = true;
      // Leaving the page (a link, not a sign-in): the browser's pending autofill request goes with it.
      WebAuthnAbortService.cancelCeremony();
    };
  }, [webAuthn, listen]);

  async function onClick() {
    setError(null);
    setPending(true);
    try {
      // Starting this ceremony aborts the autofill one.
      await ceremony(false);
    } catch (failure) {
      setError(messageFor(failure));
      setPending(false);
      if (autofill) listen();
    }
  }

  return (
    <PasskeyButton
      className="passkey-sign-in"
      label="Sign in with a passkey"
      variant="quiet"
      support={webAuthn === "ready" && autofill === null ? "unknown" : webAuthn}
      pending={pending}
      onClick={onClick}
      error={error}
    />
  );
}
