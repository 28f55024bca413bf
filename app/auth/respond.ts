// What the provider routes answer, from lib/sign-in/providers.server.ts's result: a 303, the hand-over page to the
// provider (with the transaction's cookie), or a failure page with a status of its own. Never a 5xx for anything a
// provider or a visitor did; the database out of reach goes to /unavailable as everywhere else.
import { cookies } from "next/headers";
import type { ProviderSettings } from "@/lib/config/providers";
import { failureMessage } from "@/lib/providers/messages";
import type { ProviderFailure } from "@/lib/providers/errors";
import { transactionCookie } from "@/lib/providers/transaction.server";
import type { ProviderResult } from "@/lib/sign-in/providers.server";
import { UNAVAILABLE_PATH } from "@/lib/routes";
import { throttledMessage } from "@/lib/sign-in/messages";
import { plainPage, refreshTo } from "../_lib/plain-page";

/** A person's own doing (cancelled) or the provider's outage is a page like any; a refused answer is a 400. */
const STATUS: Record<ProviderFailure, number> = { cancelled: 200, unavailable: 200, malformed: 400, expired: 400, mismatch: 400, invalid: 400 };

export function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });
}

export function failurePage(failure: ProviderFailure, name: string, back: string): Response {
  return plainPage({
    title: "Sign-in stopped",
    heading: failure === "cancelled" ? "Cancelled" : "Sign-in stopped",
    text: failureMessage(failure, name),
    link: { href: back, label: "Back" },
    status: STATUS[failure],
  });
}

/** Too many starts from one address: 429 with Retry-After, and the sentence sign-in's throttle says. */
export function throttledPage(retryAfterSeconds: number, back: string): Response {
  return plainPage({
    title: "Too many attempts",
    heading: "Too many attempts",
    text: throttledMessage(retryAfterSeconds),
    link: { href: back, label: "Back" },
    status: 429,
    headers: { "Retry-After": String(retryAfterSeconds), "Cache-Control": "no-store" },
  });
}

export async function respond(result: ProviderResult, settings: ProviderSettings): Promise<Response> {
  if (result.kind === "redirect") return seeOther(result.location);
  if (result.kind === "failure") return failurePage(result.failure, settings.name, result.back);
  if (result.kind === "throttled") return throttledPage(result.retryAfterSeconds, result.back);
  const { name, value, ...attributes } = transactionCookie(settings.id, result.sealed);
  (await cookies()).set(name, value, attributes);
  // A page that moves on by itself rather than a 303: the form that posted here allows posts to this site only
  // (CSP form-action 'self'), which browsers apply to a form's redirects too, and the provider is another site.
  return plainPage({
    title: `Continue with ${settings.name}`,
    heading: `Continuing to ${settings.name}…`,
    text: `You will sign in at ${settings.name}, then come straight back.`,
    link: { href: result.authorizationUrl.href, label: `Continue to ${settings.name}` },
    status: 200,
    head: refreshTo(result.authorizationUrl.href),
    // The provider learns nothing of the page the person came from.
    headers: { "Referrer-Policy": "no-referrer" },
  });
}

/** Anything else that failed (the database out of reach): logged, and the page every route sends then. */
export function unexpected(error: unknown, route: string): Response {
  console.error(`${route} failed`, error);
  return seeOther(UNAVAILABLE_PATH);
}
