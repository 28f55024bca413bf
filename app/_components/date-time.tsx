import { formatDateTime } from "../_lib/format";
import { LocalTime } from "./local-time";

/**
 * A date as its reader lives it: in UTC from the server (and so without JavaScript), then, once the page runs,
 * in the browser's language and time zone. The UTC text is computed here, on the server, so that hydration
 * never compares two ICU versions' wording.
 */
export function DateTime({ date, testId }: { date: Date; testId?: string }) {
  return <LocalTime dateTime={date.toISOString()} utc={formatDateTime(date)} testId={testId} />;
}
