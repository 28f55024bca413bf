import { redirect } from "next/navigation";
import { DatabaseUnavailableError } from "@/lib/db/db.server";
import { UNAVAILABLE_PATH } from "@/lib/routes";

/**
 * Wraps a page that reads the database. When the database is out of reach, the person is sent to
 * /unavailable, which answers 503 with a readable page and a way back to `path` (a page component cannot set
 * its own status, and an error boundary would only render in the browser). Redirects and every other error
 * pass through untouched.
 */
export function withDatabase<Props>(path: string, page: (props: Props) => Promise<React.ReactNode>) {
  return async function PageWithDatabase(props: Props) {
    try {
      return await page(props);
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) redirect(`${UNAVAILABLE_PATH}?${new URLSearchParams({ next: path })}`);
      throw error;
    }
  };
}
