"use client";
import { useSyncExternalStore } from "react";
import { LOCAL_DATE_TIME } from "../_lib/format";

const subscribe = () => () => {};

/**
 * False while rendering on the server and hydrating, true afterwards. During hydration React renders with the
 * server's value, so the markup matches the HTML (no hydration warning), and then re-renders with the browser's.
 */
function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

// No locale and no time zone given: the browser's own.
let localFormat: Intl.DateTimeFormat | undefined;
const browserFormat = () => (localFormat ??= new Intl.DateTimeFormat(undefined, LOCAL_DATE_TIME));

interface LocalTimeProps {
  /** ISO 8601, in UTC. */
  dateTime: string;
  /** What the server rendered: shown until hydration, and for good without JavaScript. */
  utc: string;
  testId?: string;
}

export function LocalTime({ dateTime, utc, testId }: LocalTimeProps) {
  const hydrated = useHydrated();
  if (!hydrated) {
    return (
      <time dateTime={dateTime} data-testid={testId}>
        {utc}
      </time>
    );
  }
  const format = browserFormat();
  // The text's own language, for screen readers: the page around it is English.
  return (
    <time dateTime={dateTime} data-testid={testId} lang={format.resolvedOptions().locale} title={utc}>
      {format.format(new Date(dateTime))}
    </time>
  );
}
