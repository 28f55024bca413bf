// What a user may do. Carried in tokens for clients to read; decided from the database on every request.

export const ROLES = ["user", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** A stored role that is not one of ours grants nothing. */
export function toRole(value: string): Role {
  return isRole(value) ? value : "user";
}
