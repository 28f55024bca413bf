// Reading posted forms. Server-side helpers shared by the server actions.
import { PasswordHasherBusyError } from "@/lib/passwords/hashing.server";

export const UNAVAILABLE = "We could not reach the database, so nothing was saved. Please try again in a moment.";
export const BUSY = "Busy, try again in a moment.";

/** A form field as a string; a missing field, or a file upload in its place, reads as empty. */
export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/** What a form says when its action failed on our side: too busy to check a password, or nothing was saved. */
export function failureMessage(error: unknown, action: string): string {
  if (error instanceof PasswordHasherBusyError) return BUSY;
  console.error(`${action} failed`, error);
  return UNAVAILABLE;
}
