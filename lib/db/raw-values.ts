// What a raw query (Prisma's $queryRaw, or the direct reader) hands back, read into the types the code uses.

/**
 * A DateTime column from a raw query, whatever shape the driver adapter hands it over in: a Date (Prisma types
 * raw DateTime columns on both databases), or, should that ever change, what the database stores. Prisma writes
 * SQLite DateTime as ISO 8601 text with an offset ("2026-11-25T10:00:00.000+00:00"); SQLite's own
 * CURRENT_TIMESTAMP is "2026-11-25 10:00:00", UTC without saying so; Prisma's native engines stored
 * milliseconds since the epoch. Anything else throws: an unreadable expiry must never pass for a live session.
 */
export function toDate(value: unknown): Date {
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === "number" || typeof value === "bigint") date = new Date(Number(value));
  else if (typeof value === "string") {
    const text = value.trim();
    if (/^-?\d+$/.test(text)) date = new Date(Number(text));
    else {
      const iso = text.replace(" ", "T");
      // No zone: UTC (what SQLite and Prisma mean), never the server's local time.
      date = new Date(/(?:[zZ]|[+-]\d\d(?::?\d\d)?)$/.test(iso) ? iso : `${iso}Z`);
    }
  }
  if (date === undefined || Number.isNaN(date.getTime())) throw new TypeError(`not a date from the database: ${String(value)}`);
  return date;
}
