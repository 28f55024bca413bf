// What a person reads about signing in with another account, each sentence once: the buttons, the callback's
// pages, the sign-in page's notices and the security page's. Pure: pages and route handlers import it.
import { LAST_WAY_IN_MESSAGE } from "../ways-in/messages";
import type { ProviderFailure } from "./errors";

export const continueWith = (name: string) => `Continue with ${name}`;
export const connectLabel = (name: string) => `Connect ${name}`;
export const confirmWithLabel = (name: string) => `Confirm with ${name}`;

export const PROVIDER_MESSAGES = {
  expired: "That sign-in took too long or was already used. Try again.",
  disconnectLast: LAST_WAY_IN_MESSAGE,
  disconnected: "Disconnected.",
  heading: "Connected accounts",
  intro: "Sign in with another account you already have. Each one connected here signs in to this account only.",
} as const;

/** The sentence for a failed callback. */
export function failureMessage(failure: ProviderFailure, name: string): string {
  switch (failure) {
    case "cancelled":
      return `Sign-in with ${name} was cancelled.`;
    case "unavailable":
      return `${name} could not be reached. Try again in a moment, or sign in another way.`;
    case "invalid":
      return `${name}’s answer could not be verified, so nothing was signed in. Try again.`;
    default:
      return PROVIDER_MESSAGES.expired;
  }
}

/** What the sign-in page can say after a provider's answer that made no session. */
export const PROVIDER_NOTICES = {
  "email-taken": (name: string) => `An account with this email already exists. Sign in to it to connect ${name}.`,
  "confirm-email": (name: string) =>
    `We sent a link to the email your ${name} account gave. Open it to confirm your address, then continue with ${name} again.`,
  "no-email": (name: string) =>
    `${name} did not give a verified email address, so no account can be made with it. Create an account with a password, then connect ${name}.`,
} as const;

export type ProviderNotice = keyof typeof PROVIDER_NOTICES;

export function isProviderNotice(value: unknown): value is ProviderNotice {
  return typeof value === "string" && Object.hasOwn(PROVIDER_NOTICES, value);
}

/** What the security page can say after a connect. */
export const CONNECT_NOTICES = {
  connected: (name: string) => `${name} is connected. You can sign in with it now.`,
  "connected-elsewhere": (name: string) => `That ${name} account is already connected to another Tessera account.`,
  "already-connected": (name: string) => `A ${name} account is already connected. Disconnect it first to connect another.`,
  "wrong-account": (name: string) => `That is not the ${name} account connected to yours.`,
} as const;

export type ConnectNotice = keyof typeof CONNECT_NOTICES;

export function isConnectNotice(value: unknown): value is ConnectNotice {
  return typeof value === "string" && Object.hasOwn(CONNECT_NOTICES, value);
}
