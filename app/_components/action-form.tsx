"use client";
// A form posting to a server action. A plain form post without JavaScript (the action renders the next state);
// with JavaScript, no page reload and a pending button. Errors are tied to their inputs and announced.
import { useActionState, useId } from "react";
import { EMPTY_FORM, type FormAction } from "../_lib/form-state";
import { SubmitButton } from "./submit-button";
import { FormMessages } from "./form-messages";

export interface FieldSpec {
  name: string;
  label: string;
  type: "email" | "password" | "text";
  autoComplete: string;
  hint?: string;
  /** The keyboard a phone shows ("numeric" for a code). */
  inputMode?: "numeric" | "text";
}

interface ActionFormProps {
  action: FormAction;
  fields: FieldSpec[];
  submitLabel: string;
  submitVariant?: "primary" | "quiet" | "danger";
  /** Hidden fields carried through the post (where to go after signing in). */
  hidden?: Record<string, string>;
  /**
   * The page's address, for a form on a page that is also served prerendered: without JavaScript the post goes
   * there (on the page rendered per request too, so a query it does not name, such as a notice, is dropped), and
   * the page rendered for it knows the form's state by this address rather than by its place in the component
   * tree, which the prerendered route's differs from.
   */
  permalink?: string;
}

export function ActionForm({ action, fields, submitLabel, submitVariant, hidden = {}, permalink }: ActionFormProps) {
  const [state, formAction] = useActionState(action, EMPTY_FORM, permalink);
  return (
    // noValidate: the server's messages are the ones a person sees, with or without JavaScript.
    <form action={formAction} noValidate className="form">
      <FormMessages error={state.formError} notice={state.notice} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {fields.map((field) => (
        <Field key={field.name} {...field} defaultValue={state.values[field.name]} error={state.errors[field.name]} />
      ))}
      <SubmitButton variant={submitVariant}>{submitLabel}</SubmitButton>
    </form>
  );
}

export function Field({ name, label, type, autoComplete, hint, inputMode, defaultValue, error }: FieldSpec & { defaultValue?: string; error?: string }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      <input
        // A new key when the value comes back from the server, so React's form reset keeps what was typed.
        key={defaultValue}
        id={id}
        name={name}
        type={type}
        autoComplete={autoComplete}
        inputMode={inputMode}
        defaultValue={defaultValue}
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
      <p id={errorId} className="field-error" aria-live="polite">
        {error}
      </p>
    </div>
  );
}
