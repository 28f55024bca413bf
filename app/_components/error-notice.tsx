"use client";

/** What a person sees when a request fails on our side: the error boundary and the last-resort page share it. */
export function ErrorNotice({ reset }: { reset: () => void }) {
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
