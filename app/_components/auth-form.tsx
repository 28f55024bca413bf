"use client";
// The sign-in and sign-up form. A plain form post without JavaScript (the server action renders the next state);
// with JavaScript, no page reload and a pending button.
import { useActionState, useId } from "react";
import { EMPTY_AUTH_FORM, type AuthFormState } from "./auth-form-state";
import { SubmitButton } from "./submit-button";

interface AuthFormProps {
  action: (previous: AuthFormState, form: FormData) => Promise<AuthFormState>;
  submitLabel: string;
  /** "new-password" on sign-up lets password managers offer a generated one. */
  passwordAutoComplete: "current-password" | "new-password";
  passwordHint?: string;
  /** Where to go after signing in, carried through the post. */
  next?: string;
}

export function AuthForm({ action, submitLabel, passwordAutoComplete, passwordHint, next }: AuthFormProps) {
  const [state, formAction] = useActionState(action, EMPTY_AUTH_FORM);
  const { errors } = state;
  return (
    // noValidate: the server's messages are the ones a person sees, with or without JavaScript.
    <form action={formAction} noValidate className="form">
      <div aria-live="assertive">
        {errors.form ? (
          <p role="alert" className="form-error">
            {errors.form}
          </p>
        ) : null}
      </div>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        defaultValue={state.email}
        error={errors.email}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete={passwordAutoComplete}
        hint={passwordHint}
        error={errors.password}
      />
      <SubmitButton>{submitLabel}</SubmitButton>
    </form>
  );
}

interface FieldProps {
  label: string;
  name: string;
  type: "email" | "password";
  autoComplete: string;
  defaultValue?: string;
  hint?: string;
  error?: string;
}

function Field({ label, name, type, autoComplete, defaultValue, hint, error }: FieldProps) {
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
