"use client";
// "Name" and "Rename" for one passkey. A plain form post without JavaScript.
import { useActionState, useId } from "react";
import { EMPTY_FORM, type FormAction } from "../../_lib/form-state";
import { SubmitButton } from "../../_components/submit-button";
import { FormMessages } from "../../_components/form-messages";
import { MAX_PASSKEY_NAME_LENGTH } from "@/lib/passkeys/names";

export function RenamePasskeyForm({ action, name }: { action: FormAction; name: string }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  const id = useId();
  const error = state.errors.name;
  const value = state.values.name ?? name;
  return (
    <form action={formAction} noValidate className="form form-inline">
      <FormMessages error={state.formError} />
      <div className="field">
        <label htmlFor={id}>Name</label>
        <input
          key={value}
          id={id}
          name="name"
          type="text"
          autoComplete="off"
          defaultValue={value}
          maxLength={MAX_PASSKEY_NAME_LENGTH}
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <p id={`${id}-error`} className="field-error" aria-live="polite">
          {error}
        </p>
      </div>
      <SubmitButton variant="quiet">Rename</SubmitButton>
      <div aria-live="polite">
        {state.notice ? (
          <p role="status" className="form-notice">
            {state.notice}
          </p>
        ) : null}
      </div>
    </form>
  );
}
