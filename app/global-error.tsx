"use client";
// The last resort, when even the root layout fails: it brings its own <html> and <body>. Styled by class, not
// inline style attributes, which the Content Security Policy refuses.
import "./globals.css";

export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <main className="page">
          <section className="card narrow" role="alert">
            <h1>Something went wrong on our side</h1>
            <p>The service could not finish this request, and nothing was changed. Please try again in a moment.</p>
            <button type="button" className="button button-primary" onClick={reset}>
              Try again
            </button>
          </section>
        </main>
      </body>
    </html>
  );
}
