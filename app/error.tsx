"use client";
// Shown when a page fails to render, most often because the database is out of reach. Nothing half-done is
// kept: every write the app makes is a single statement.

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="card narrow" role="alert">
      <h1>Something went wrong on our side</h1>
      <p>The service could not finish this request, and nothing was changed. Please try again in a moment.</p>
      <button type="button" className="button button-primary" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
