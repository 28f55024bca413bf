import "server-only";
// Sign-in with another account, end to end, for the two route handlers: the start (a form's POST) and the
// callback. What each flow is for decides what its answer does: a sign-in goes through signIn() like every other
// first factor; a connect adds the identity to the signed-in account; a confirm is a step-up. The routes only turn
// the result into a response.
import { headers } from "next/headers";
import type { ProviderSettings } from "../config/providers";
import { abuseLimits } from "../config";
import { CLIENT_ADDRESS_HEADER, clientInfoFrom } from "../http/client-info";
import { addressKey, countAttempt } from "../limits/throttle.server";
import { logEvent } from "../log.server";
import {
  CONFIRM_IDENTITY_PATH,
  confirmIdentityPathFor,
  SECURITY_PATH,
  signInPageReturningTo,
  signInPathFor,
  SIGN_IN_PATH,
  VERIFY_SIGN_IN_PATH,
} from "../routes";
import { startPendingSignIn } from "../factors/pending-sign-ins.server";
import { setPendingSignInCookie } from "../factors/pending-cookie.server";
import { connectIdentity, isConnectedTo, touchLink, type ConnectOutcome } from "../providers/accounts.server";
import { ProviderError, type ProviderFailure } from "../providers/errors";
import { finishFlow, startFlow } from "../providers/flow.server";
import type { ProviderIdentity } from "../providers/identity";
import type { ProviderNotice } from "../providers/messages";
import type { FlowPurpose, ProviderTransaction } from "../providers/transaction.server";
import { getSession, isRecentlyAuthenticated, recordConfirmation, startSession, type CurrentSession } from "../sessions/data-access.server";
import { signIn } from "./sign-in.server";

export type ProviderResult =
  /** Go here (303). */
  | { kind: "redirect"; location: string }
  /** Send the browser to the provider, with the sealed transaction in the callback path's cookie. */
  | { kind: "provider"; authorizationUrl: URL; sealed: string }
  /** A page saying why, with a way back. */
  | { kind: "failure"; failure: ProviderFailure; back: string }
  /** Too many starts from this client address: 429, try again after this many seconds. */
  | { kind: "throttled"; retryAfterSeconds: number; back: string };

const withQuery = (path: string, query: Record<string, string>) => `${path}?${new URLSearchParams(query)}`;

/** The sign-in page with a provider's notice, keeping where the person was going. */
function signInWithProviderNotice(settings: ProviderSettings, notice: ProviderNotice, returnTo: string): string {
  return withQuery(SIGN_IN_PATH, { provider: settings.id, notice, next: returnTo });
}

function securityWithNotice(settings: ProviderSettings, notice: ConnectOutcome | "wrong-account"): string {
  return withQuery(SECURITY_PATH, { provider: settings.id, notice });
}

export function isFlowPurpose(value: unknown): value is FlowPurpose {
  return value === "sign-in" || value === "connect" || value === "confirm";
}

/**
 * The button's POST. A connect needs a recent sign-in (the step-up, as every sensitive change); a confirm is that
 * step-up; both need a session, and the callback must come back to the same one.
 */
export async function startProviderFlow(settings: ProviderSettings, purpose: FlowPurpose, returnTo: string): Promise<ProviderResult> {
  let session: CurrentSession | null = null;
  if (purpose !== "sign-in") {
    session = await getSession();
    if (!session) return { kind: "redirect", location: signInPathFor(SECURITY_PATH) };
    if (purpose === "connect" && !isRecentlyAuthenticated(session)) return { kind: "redirect", location: confirmIdentityPathFor(SECURITY_PATH) };
  }
  // Counted before the transaction's row is stored: a start costs a row anyone can cause, signed in or not.
  const retryAfterSeconds = await countStart((await headers()).get(CLIENT_ADDRESS_HEADER));
  if (retryAfterSeconds > 0) return { kind: "throttled", retryAfterSeconds, back: backFor(purpose, returnTo) };
  try {
    const started = await startFlow(settings, { purpose, returnTo: purpose === "connect" ? SECURITY_PATH : returnTo, sessionId: session?.sessionId ?? null });
    return { kind: "provider", ...started };
  } catch (error) {
    if (error instanceof ProviderError) return { kind: "failure", failure: error.code, back: backFor(purpose, returnTo) };
    throw error;
  }
}

/** One start from `address` against PROVIDER_STARTS_PER_ADDRESS, as sign-ups are counted: the seconds to wait, or 0. */
async function countStart(address: string | null): Promise<number> {
  if (!address) return 0;
  const limits = abuseLimits();
  const rule = { scope: "provider-start", max: limits.providerStartsPerAddress, windowSeconds: limits.signInWindowSeconds };
  const retryAfterSeconds = await countAttempt([addressKey(rule, address)]);
  if (retryAfterSeconds > 0) logEvent("provider.throttled", { address, retryAfterSeconds });
  return retryAfterSeconds;
}

function backFor(purpose: FlowPurpose | null, returnTo: string): string {
  if (purpose === "connect") return SECURITY_PATH;
  if (purpose === "confirm") return confirmIdentityPathFor(returnTo);
  return signInPageReturningTo(returnTo);
}

/** The callback: the flow finished and verified, then its purpose carried out. Nothing is changed on a failure. */
export async function finishProviderFlow(settings: ProviderSettings, url: URL, sealed: string | undefined): Promise<ProviderResult> {
  let finished: { identity: ProviderIdentity; transaction: ProviderTransaction };
  try {
    finished = await finishFlow(settings, url, sealed);
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    logEvent("provider.refused", { provider: settings.id, reason: error.code, detail: error.message });
    return { kind: "failure", failure: error.code, back: SIGN_IN_PATH };
  }
  const { identity, transaction } = finished;
  if (transaction.purpose === "sign-in") return signInThrough(settings, identity, transaction.returnTo);
  // A connect or confirm finishes in the session that began it, or not at all.
  const session = await getSession();
  if (!session || session.sessionId !== transaction.sessionId) {
    logEvent("provider.refused", { provider: settings.id, reason: "mismatch", detail: "the callback came back to another session" });
    return { kind: "failure", failure: "mismatch", back: SECURITY_PATH };
  }
  if (transaction.purpose === "connect") {
    const outcome = await connectIdentity(session.user.id, identity, clientInfoFrom(await headers()));
    return { kind: "redirect", location: securityWithNotice(settings, outcome) };
  }
  return confirmThrough(settings, session, identity, transaction.returnTo);
}

async function signInThrough(settings: ProviderSettings, identity: ProviderIdentity, returnTo: string): Promise<ProviderResult> {
  const requestHeaders = await headers();
  const client = clientInfoFrom(requestHeaders);
  const answer = await signIn({ factor: { kind: "provider", identity }, address: client.address, userAgent: client.userAgent });
  if (answer.outcome === "refused") return { kind: "redirect", location: signInWithProviderNotice(settings, answer.reason, returnTo) };
  if (answer.outcome === "second-factor") {
    // One factor so far: the code page, as after a password.
    const { token } = await startPendingSignIn(answer.user, returnTo, client, new Date(), answer.method);
    await setPendingSignInCookie(token);
    return { kind: "redirect", location: VERIFY_SIGN_IN_PATH };
  }
  await startSession(answer.user, answer.method);
  return { kind: "redirect", location: returnTo };
}

/** A step-up through the provider: only the identity connected to this account, freshly signed in, counts. */
async function confirmThrough(settings: ProviderSettings, session: CurrentSession, identity: ProviderIdentity, returnTo: string): Promise<ProviderResult> {
  const linkId = await isConnectedTo(session.user.id, identity);
  if (!linkId) return { kind: "redirect", location: securityWithNotice(settings, "wrong-account") };
  await touchLink(linkId);
  const confirmed = await recordConfirmation(session, "provider");
  logEvent("provider.confirmed", { userId: session.user.id, provider: settings.id });
  return { kind: "redirect", location: confirmed ? returnTo : signInPathFor(CONFIRM_IDENTITY_PATH) };
}
