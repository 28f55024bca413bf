import "server-only";
// The token of a mailed link, as middleware left it: in a cookie scoped to the link's page (lib/http/link-token-cookie.ts).
import { cookies } from "next/headers";
import { isProduction } from "@/lib/config";
import { linkTokenCookie } from "@/lib/http/link-token-cookie";

function cookieFor(path: string) {
  const cookie = linkTokenCookie(path, isProduction());
  if (!cookie) throw new Error(`no link token cookie for ${path}`);
  return cookie;
}

export async function readLinkToken(path: string): Promise<string | null> {
  return (await cookies()).get(cookieFor(path).name)?.value ?? null;
}

/** Deletes the cookie once its token is spent: with the same attributes, or the browser keeps it. */
export async function forgetLinkToken(path: string): Promise<void> {
  const { name, ...attributes } = cookieFor(path);
  (await cookies()).set(name, "", { ...attributes, maxAge: 0 });
}
