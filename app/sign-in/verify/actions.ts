"use server";
// /sign-in/verify: the code (or a recovery code) after the password. Thin: read the form, ask lib/factors, answer.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { clientInfoFrom } from "@/lib/http/client-info";
import { deletePendingSignInCookie, readPendingSignInCookie } from "@/lib/factors/pending-cookie.server";
import {
  completeWithRecoveryCode,
  completeWithTotp,
  endPendingSignIn,
  type CompletionOutcome,
} from "@/lib/factors/pending-sign-ins.server";
import { setSessionCookie } from "@/lib/sessions/data-access.server";
import { SIGN_IN_PATH, signInWithNotice } from "@/lib/routes";
import { FACTOR_MESSAGES } from "@/lib/factors/messages";
import { throttledMessage } from "@/lib/sign-in/messages";
import { failureMessage, field } from "../../_lib/form-data";
import type { FormState } from "../../_lib/form-state";

type Kind = "code" | "recoveryCode";

const MALFORMED: Record<Kind, string> = {
  code: FACTOR_MESSAGES.malformedCode,
  recoveryCode: FACTOR_MESSAGES.malformedRecoveryCode,
};

const WRONG: Record<Kind, string> = {
  code: FACTOR_MESSAGES.wrongCode,
  recoveryCode: FACTOR_MESSAGES.wrongRecoveryCode,
};

function triesLeft(count: number): string {
  return count === 1 ? "1 try left." : `${count} tries left.`;
}

async function verify(kind: Kind, form: FormData): Promise<FormState> {
  const raw = field(form, kind);
  const values = { [kind]: raw };
  let outcome: CompletionOutcome;
  try {
    const token = await readPendingSignInCookie();
    const client = clientInfoFrom(await headers());
    outcome = kind === "code" ? await completeWithTotp(token, raw, client) : await completeWithRecoveryCode(token, raw, client);
    if (outcome.ok) {
      // A new session, its cookie replacing whatever the browser held; the pending state is gone.
      await setSessionCookie(outcome.user, outcome.session, outcome.method);
      await deletePendingSignInCookie();
    } else if (outcome.reason === "ended" || (outcome.reason === "invalid" && outcome.attemptsLeft === 0)) {
      await deletePendingSignInCookie();
    }
  } catch (error) {
    return { values, errors: {}, formError: failureMessage(error, "two-step sign-in") };
  }
  if (outcome.ok) redirect(outcome.returnTo);
  switch (outcome.reason) {
    case "malformed":
      return { values, errors: { [kind]: MALFORMED[kind] } };
    case "throttled":
      return { values, errors: {}, formError: throttledMessage(outcome.retryAfterSeconds) };
    case "ended":
      redirect(signInWithNotice("sign-in-again"));
    case "invalid":
      if (outcome.attemptsLeft === 0) redirect(signInWithNotice("too-many-codes"));
      return { values: {}, errors: { [kind]: `${WRONG[kind]} ${triesLeft(outcome.attemptsLeft)}` } };
  }
}

export async function verifyWithCode(_previous: FormState, form: FormData): Promise<FormState> {
  return verify("code", form);
}

export async function verifyWithRecoveryCode(_previous: FormState, form: FormData): Promise<FormState> {
  return verify("recoveryCode", form);
}

/** "Cancel": the pending sign-in ends here, not 5 minutes later. */
export async function cancelSignIn(): Promise<void> {
  try {
    await endPendingSignIn(await readPendingSignInCookie());
  } finally {
    await deletePendingSignInCookie();
  }
  redirect(SIGN_IN_PATH);
}
