"use client";
import { useFormStatus } from "react-dom";

/** A submit button that shows, and announces, that the form is on its way. */
export function SubmitButton({ children, variant = "primary" }: { children: string; variant?: "primary" | "quiet" | "danger" }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={`button button-${variant}`} disabled={pending} aria-busy={pending}>
      {children}
      {pending ? <span className="spinner" aria-hidden="true" /> : null}
    </button>
  );
}
