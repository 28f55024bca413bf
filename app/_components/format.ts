const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });

/** "25 November 2026 at 04:12 UTC": one format everywhere, the same on the server and in every browser. */
export function formatDateTime(date: Date): string {
  return `${dateTime.format(date)} UTC`;
}
