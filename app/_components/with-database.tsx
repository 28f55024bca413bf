import { DatabaseUnavailableError } from "@/lib/db.server";

/**
 * Wraps a page that reads the database so that an outage renders a readable page on the server, with or
 * without JavaScript (an error boundary would only render in the browser). Redirects and every other error
 * pass through untouched.
 */
export function withDatabase<Props>(page: (props: Props) => Promise<React.ReactNode>) {
  return async function PageWithDatabase(props: Props) {
    try {
      return await page(props);
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) return <ServiceUnavailable />;
      throw error;
    }
  };
}

export function ServiceUnavailable() {
  return (
    <section className="card narrow" role="alert">
      <h1>Something went wrong on our side</h1>
      <p>We could not reach the database, so nothing was read or changed. Please try again in a moment.</p>
    </section>
  );
}
