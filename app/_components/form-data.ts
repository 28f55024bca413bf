// Reading posted forms. Server-side helpers shared by the server actions.

export const UNAVAILABLE = "We could not reach the database, so nothing was saved. Please try again in a moment.";

/** A form field as a string; a missing field, or a file upload in its place, reads as empty. */
export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}
