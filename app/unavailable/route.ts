import { safeReturnPath } from "@/lib/routes";
import { plainPage } from "../_lib/plain-page";

export const dynamic = "force-dynamic";

/**
 * Where pages send people while the database is out of reach: 503 with Retry-After, so browsers, crawlers and
 * monitors all see the outage, and plain HTML that needs nothing (no script, no database) to render.
 */
export function GET(request: Request): Response {
  return plainPage({
    title: "Temporarily unavailable",
    heading: "Something went wrong on our side",
    text: "We could not reach the database, so nothing was read or changed. Please try again in a moment.",
    link: { href: safeReturnPath(new URL(request.url).searchParams.get("next"), "/"), label: "Try again" },
    status: 503,
    headers: { "Retry-After": "5" },
  });
}
