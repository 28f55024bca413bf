// Links in mail are built on APP_URL, never on a request's Host header: a forged Host must not be able to send
// a person's reset token to another site.
import { mailConfig } from "../config";

export function appLink(path: string, params: Record<string, string> = {}): URL {
  const url = new URL(path, mailConfig().appUrl);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}
