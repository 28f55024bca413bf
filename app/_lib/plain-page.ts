// A whole page as plain HTML, for route handlers that must answer with a status of their own (a page component
// cannot set one): no script, no stylesheet, nothing that needs the database to render.

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export interface PlainPage {
  title: string;
  heading: string;
  text: string;
  link: { href: string; label: string };
  status: number;
  /** Extra markup for the head, already safe (a meta refresh). */
  head?: string;
  headers?: Record<string, string>;
}

export function plainPage({ title, heading, text, link, status, head = "", headers = {} }: PlainPage): Response {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Tessera</title>${head}</head>
<body>
<main>
<h1>${escapeHtml(heading)}</h1>
<p>${escapeHtml(text)}</p>
<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>
</main>
</body>
</html>
`;
  return new Response(html, { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", ...headers } });
}

/** A meta refresh to `url`, for plainPage's head. */
export function refreshTo(url: string): string {
  return `<meta http-equiv="refresh" content="0;url=${escapeHtml(url)}">`;
}
