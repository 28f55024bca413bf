import { safeReturnPath } from "@/lib/routes";

export const dynamic = "force-dynamic";

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * Where pages send people while the database is out of reach: 503 with Retry-After, so browsers, crawlers and
 * monitors all see the outage, and plain HTML that needs nothing (no script, no database) to render.
 */
export function GET(request: Request): Response {
  const back = escapeHtml(safeReturnPath(new URL(request.url).searchParams.get("next"), "/"));
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Temporarily unavailable · Tessera</title></head>
<body>
<main>
<h1>Something went wrong on our side</h1>
<p>We could not reach the database, so nothing was read or changed. Please try again in a moment.</p>
<p><a href="${back}">Try again</a></p>
</main>
</body>
</html>
`;
  return new Response(html, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Retry-After": "5", "Cache-Control": "no-store" },
  });
}
