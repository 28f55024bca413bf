"use client";
// The authenticator app's controls. One client component in every state, so that the recovery codes a form just
// made stay on screen when the page refreshes into its next state (with JavaScript), and reach the page the
// server renders after a plain form post (without it): the forms' states live here, at one place in the tree.
import { useActionState, useId } from "react";
import { ActionForm, Field } from "../../_components/action-form";
import { CREDENTIAL_FIELDS, withoutCurrentPassword } from "../../_lib/credential-fields";
import { EMPTY_FORM, type FormState } from "../../_lib/form-state";
import { FormMessages } from "../../_components/form-messages";
import { SubmitButton } from "../../_components/submit-button";
import { newRecoveryCodes, startTotpSetup, turnOffTotpAction, turnOnTotp, type CodesState } from "./totp-actions";

export type TotpView =
  | { state: "off" }
  | { state: "setting-up"; qrSvg: string; groupedSecret: string }
  | { state: "on"; since: React.ReactNode; recoveryCodesLeft: number };

export function TotpPanel({ view, hasPassword }: { view: TotpView; hasPassword: boolean }) {
  const [turnOn, turnOnAction] = useActionState(turnOnTotp, EMPTY_FORM as CodesState);
  const [regenerated, regenerateAction] = useActionState(newRecoveryCodes, EMPTY_FORM as CodesState);
  const [turnedOff, turnOffAction] = useActionState(turnOffTotpAction, EMPTY_FORM);
  const codes = regenerated.recoveryCodes ?? turnOn.recoveryCodes;
  const notice = regenerated.recoveryCodes ? regenerated.notice : turnOn.recoveryCodes ? turnOn.notice : view.state === "off" ? turnedOff.notice : undefined;
  return (
    <div className="factor">
      <FormMessages notice={notice} />
      {codes ? <RecoveryCodes codes={codes} /> : null}
      {view.state === "off" ? (
        <>
          <p>Sign in with your password and a 6-digit code from an app on your phone (any authenticator app works).</p>
          <ActionForm action={startTotpSetup} fields={[]} submitLabel="Set up an authenticator app" />
        </>
      ) : null}
      {view.state === "setting-up" ? <Setup view={view} state={turnOn} action={turnOnAction} /> : null}
      {view.state === "on" ? (
        <>
          <p data-testid="totp-status">
            Your authenticator app is on (since {view.since}). {view.recoveryCodesLeft === 1 ? "1 recovery code is" : `${view.recoveryCodesLeft} recovery codes are`} left.
          </p>
          <h3>Recovery codes</h3>
          <p>A new set replaces the old one: the old codes stop working at once.</p>
          <StateForm action={regenerateAction} state={regenerated} submitLabel="Regenerate recovery codes" variant="quiet" />
          <h3>Turn off</h3>
          <p>
            {hasPassword
              ? "Signing in will take your password alone. Type your password and a code from your app."
              : "Signing in will no longer ask for a code. Type a code from your app."}
          </p>
          <StateForm
            action={turnOffAction}
            state={turnedOff}
            submitLabel="Turn off"
            variant="danger"
            fields={withoutCurrentPassword(CREDENTIAL_FIELDS.turnOffTotp, hasPassword)}
          />
        </>
      ) : null}
    </div>
  );
}

function Setup({ view, state, action }: { view: Extract<TotpView, { state: "setting-up" }>; state: CodesState; action: (form: FormData) => void }) {
  const id = useId();
  return (
    <>
      <h3>Set up</h3>
      <ol>
        <li>Open your authenticator app and add an account by scanning this QR code.</li>
        <li>Or type the setup key instead of scanning.</li>
        <li>Type the 6-digit code the app then shows, and turn it on.</li>
      </ol>
      <div
        className="qr-code"
        role="img"
        aria-label="QR code to scan with your authenticator app"
        // The SVG is made on the server by the qrcode package from our own otpauth: URI: no user input in it.
        dangerouslySetInnerHTML={{ __html: view.qrSvg }}
      />
      <div className="field">
        <label htmlFor={`${id}-key`}>Setup key</label>
        <input id={`${id}-key`} className="secret" readOnly value={view.groupedSecret} autoComplete="off" spellCheck={false} />
      </div>
      <StateForm action={action} state={state} submitLabel="Turn on" fields={CREDENTIAL_FIELDS.totpCode} />
    </>
  );
}

/** A form whose state lives in the panel (see above), with ActionForm's fields, errors and alerts. */
function StateForm({
  action,
  state,
  submitLabel,
  variant,
  fields = [],
}: {
  action: (form: FormData) => void;
  state: FormState;
  submitLabel: string;
  variant?: "primary" | "quiet" | "danger";
  fields?: Parameters<typeof Field>[0][];
}) {
  return (
    <form action={action} noValidate className="form">
      <FormMessages error={state.formError} />
      {fields.map((spec) => (
        <Field key={spec.name} {...spec} defaultValue={state.values[spec.name]} error={state.errors[spec.name]} />
      ))}
      <SubmitButton variant={variant}>{submitLabel}</SubmitButton>
    </form>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  const text = [
    "Tessera recovery codes",
    "Each code signs you in once if you lose your authenticator app. Keep them somewhere safe.",
    "",
    ...codes,
    "",
  ].join("\n");
  return (
    <section className="recovery-codes" aria-labelledby="recovery-codes-heading">
      <h3 id="recovery-codes-heading">Your recovery codes</h3>
      <p>
        Save these now: they are shown only this once. Each one signs you in once if you lose your authenticator app.
      </p>
      <ul aria-label="Recovery codes" className="code-list">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <a className="button button-quiet" href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`} download="tessera-recovery-codes.txt">
        Download
      </a>
    </section>
  );
}
