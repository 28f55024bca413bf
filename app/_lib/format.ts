const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });

/**
 * "25 November 2026 at 04:12 UTC": what the server renders, the same in every browser. A person with JavaScript
 * then sees LOCAL_DATE_TIME instead (app/_components/date-time.tsx).
 */
export function formatDateTime(date: Date): string {
  return `${dateTime.format(date)} UTC`;
}

/**
 * A date in the reader's own language and time zone, with the zone named ("2026年11月25日 13:12 JST",
 * "November 25, 2026 at 4:12 AM GMT-5"): used in the browser only, where both are the browser's settings.
 */
export const LOCAL_DATE_TIME: Intl.DateTimeFormatOptions = {
  year: "numeric",
  month: "long",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
  timeZoneName: "short",
};
