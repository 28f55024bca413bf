// The button of a passkey ceremony (sign in, add, confirm), with its messages and what it says while it cannot
// work: until the page's script runs (for good without JavaScript), or in a browser without WebAuthn.
// For client components only.
import { useSyncExternalStore } from "react";
import { browserSupportsWebAuthn } from "@simplewebauthn/browser";
import { FormMessages } from "./form-messages";
import { NO_PASSKEY_SUPPORT, PASSKEYS_NEED_JAVASCRIPT } from "../_lib/passkey-browser";

export type PasskeySupport = "unknown" | "none" | "ready";

/** Whether this browser can run a passkey ceremony: "unknown" on the server and until the script has run. */
export function usePasskeySupport(): PasskeySupport {
  return useSyncExternalStore(neverChanges, detectedSupport, unknownOnTheServer);
}

// What a browser supports does not change while the page is open: there is nothing to subscribe to.
const neverChanges = () => () => {};
const detectedSupport = (): PasskeySupport => (browserSupportsWebAuthn() ? "ready" : "none");
const unknownOnTheServer = (): PasskeySupport => "unknown";

interface PasskeyButtonProps {
  label: string;
  support: PasskeySupport;
  pending: boolean;
  onClick: () => void;
  error?: string | null;
  notice?: string | null;
  variant?: "primary" | "quiet";
  className?: string;
}

export function PasskeyButton({ label, support, pending, onClick, error, notice, variant = "primary", className }: PasskeyButtonProps) {
  return (
    <div className={className}>
      <FormMessages error={error} notice={notice} />
      <button
        type="button"
        className={`button button-${variant}`}
        onClick={onClick}
        disabled={support !== "ready" || pending}
        aria-busy={pending}
      >
        {label}
        {pending ? <span className="spinner" aria-hidden="true" /> : null}
      </button>
      {support === "unknown" ? <p className="field-hint">{PASSKEYS_NEED_JAVASCRIPT}</p> : null}
      {support === "none" ? <p className="field-hint">{NO_PASSKEY_SUPPORT}</p> : null}
    </div>
  );
}
