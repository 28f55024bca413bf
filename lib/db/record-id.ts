// The shape of the ids this app gives users and sessions (lib/ids.ts randomId; older rows may hold a
// UUID). A server action's arguments come from the client as it pleases: an id is checked for this shape at
// run time before it reaches a query, so an object such as {"not": ""} can never become a filter.

const RECORD_ID = /^[A-Za-z0-9_-]{16,64}$/;

export function isRecordId(value: unknown): value is string {
  return typeof value === "string" && RECORD_ID.test(value);
}
