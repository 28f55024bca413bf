import "server-only";
// A provider sign-in under way, between the button and the callback. The browser keeps the secrets (state, nonce,
// PKCE verifier, where to go after) in a cookie sealed with AES-256-GCM under a key from SESSION_SECRET, bound to
// the provider's id, httpOnly, scoped to that provider's callback path, alive ten minutes: no other path is sent
// it, and it does not open at another provider's callback. The database keeps only the SHA-256 of the
// transaction's id, deleted by the one callback that spends it: of twenty callbacks carrying one cookie (a code
// replayed, a double click) exactly one goes on to the provider.
import * as client from "openid-client";
import { sessionConfig } from "../config";
import { providerCallbackPath } from "../routes";
import type { ProviderId } from "../config/providers";
import { db } from "../db/db.server";
import { sealFor, unsealFor } from "../keys/sealing.server";
import { hashOpaqueToken, newOpaqueToken } from "../tokens/opaque-tokens.server";
import { ProviderError } from "./errors";

/** Long enough to sign in at a provider (a password, a second factor there); short enough to be no standing risk. */
export const PROVIDER_TRANSACTION_TTL_SECONDS = 10 * 60;

/** What the flow is for: a sign-in (or sign-up), connecting to the signed-in account, or confirming who they are. */
export type FlowPurpose = "sign-in" | "connect" | "confirm";

export interface ProviderTransaction {
  id: string;
  provider: ProviderId;
  purpose: FlowPurpose;
  state: string;
  /** OpenID Connect only: GitHub issues no ID token to carry it. */
  nonce: string | null;
  codeVerifier: string;
  /** A checked same-origin path. */
  returnTo: string;
  /** connect and confirm: the session that started it, which must still be the one finishing it. */
  sessionId: string | null;
  expiresAt: number;
}

export interface TransactionCookie {
  name: string;
  value: string;
  httpOnly: true;
  sameSite: "lax";
  path: string;
  secure: boolean;
  maxAge: number;
}

/** Not __Host- (that needs Path=/): __Secure- in production, like the pending sign-in's cookie. */
export function transactionCookieName(secure: boolean): string {
  return secure ? "__Secure-provider-sign-in" : "provider-sign-in";
}

/**
 * The cookie for `provider`'s callback. SameSite=Lax, not Strict: the callback is a top-level GET from the
 * provider's site, which Lax cookies go with and Strict ones do not.
 */
export function transactionCookie(provider: ProviderId, value: string, maxAge = PROVIDER_TRANSACTION_TTL_SECONDS): TransactionCookie {
  const secure = sessionConfig().secureCookie;
  return { name: transactionCookieName(secure), value, httpOnly: true, sameSite: "lax", path: providerCallbackPath(provider), secure, maxAge };
}

export interface NewTransaction {
  provider: ProviderId;
  purpose: FlowPurpose;
  returnTo: string;
  sessionId: string | null;
  /** Whether an ID token (and so a nonce) is expected. */
  openIdConnect: boolean;
}

/** A new transaction: its row stored, its sealed cookie's value returned with the secrets the request needs. */
export async function beginTransaction(fields: NewTransaction, now = new Date()): Promise<{ transaction: ProviderTransaction; sealed: string }> {
  const transaction: ProviderTransaction = {
    id: newOpaqueToken(),
    provider: fields.provider,
    purpose: fields.purpose,
    state: client.randomState(),
    nonce: fields.openIdConnect ? client.randomNonce() : null,
    codeVerifier: client.randomPKCECodeVerifier(),
    returnTo: fields.returnTo,
    sessionId: fields.sessionId,
    expiresAt: now.getTime() + PROVIDER_TRANSACTION_TTL_SECONDS * 1000,
  };
  // Dead rows go as new ones come: the table holds minutes of sign-ins.
  await db.providerTransaction.deleteMany({ where: { expiresAt: { lte: now } } });
  await db.providerTransaction.create({
    data: { id: hashOpaqueToken(transaction.id), provider: fields.provider, createdAt: now, expiresAt: new Date(transaction.expiresAt) },
  });
  const sealed = sealFor("provider-transaction", JSON.stringify(transaction), fields.provider, sessionConfig().signingSecret);
  return { transaction, sealed };
}

const FIELDS = ["id", "provider", "purpose", "state", "nonce", "codeVerifier", "returnTo", "sessionId", "expiresAt"];

/**
 * The transaction in the cookie that came to `provider`'s callback. ProviderError "expired" when there is none,
 * it does not open (another secret, another provider's cookie, tampered) or its time is past; "mismatch" when it
 * names another provider (it cannot, sealed to this one: the check is the second line of defence).
 */
export function openTransaction(provider: ProviderId, sealed: string | undefined, now = new Date()): ProviderTransaction {
  if (!sealed || sealed.length > 4096) throw new ProviderError("expired", "no transaction cookie at the callback");
  let transaction: ProviderTransaction;
  try {
    const { signingSecret, previousSecrets } = sessionConfig();
    transaction = JSON.parse(unsealFor("provider-transaction", sealed, provider, [signingSecret, ...previousSecrets])) as ProviderTransaction;
  } catch (error) {
    throw new ProviderError("expired", "the transaction cookie does not open", { cause: error });
  }
  if (typeof transaction !== "object" || transaction === null || FIELDS.some((field) => !(field in transaction))) {
    throw new ProviderError("expired", "the transaction cookie is not one of ours");
  }
  if (transaction.provider !== provider) throw new ProviderError("mismatch", `a ${transaction.provider} transaction at ${provider}'s callback`);
  if (transaction.expiresAt <= now.getTime()) throw new ProviderError("expired", "the transaction is past its time");
  return transaction;
}

/** Spends the transaction's row: one conditional delete, so exactly one callback per transaction gets past it. */
export async function spendTransaction(transaction: ProviderTransaction, now = new Date()): Promise<void> {
  const { count } = await db.providerTransaction.deleteMany({
    where: { id: hashOpaqueToken(transaction.id), provider: transaction.provider, expiresAt: { gt: now } },
  });
  if (count !== 1) throw new ProviderError("expired", "the transaction was already spent");
}
