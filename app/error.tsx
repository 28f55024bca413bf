"use client";
// Shown when a page fails to render for a reason other than the database (that one goes to /unavailable).
import { ErrorNotice } from "./_components/error-notice";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorNotice reset={reset} />;
}
