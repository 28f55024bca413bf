"use client";
// The last resort, when even the root layout fails: it brings its own <html> and <body>. Styled by class, not
// inline style attributes, which the Content Security Policy refuses.
import "./globals.css";
import { ErrorNotice } from "./_components/error-notice";

export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <main className="page">
          <ErrorNotice reset={reset} />
        </main>
      </body>
    </html>
  );
}
