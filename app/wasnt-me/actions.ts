"use server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { clientInfoFrom } from "@/lib/http/client-info";
import { reportWasntMe, reportWasntMeSignedIn } from "@/lib/recovery/wasnt-me.server";
import { signInWithNotice, WASNT_ME_PATH } from "@/lib/routes";
import { deleteSessionCookie, getSession } from "@/lib/sessions/data-access.server";
import { failureMessage } from "../_lib/form-data";
import type { FormState } from "../_lib/form-state";
import { forgetLinkToken, readLinkToken } from "../_lib/link-token";

/** The confirmation's POST: the mail's token when this browser holds one, else the signed-in owner's session. */
export async function confirmWasntMe(_previous: FormState): Promise<FormState> {
  const token = await readLinkToken(WASNT_ME_PATH);
  const client = clientInfoFrom(await headers());
  let outcome;
  try {
    if (token !== null) outcome = await reportWasntMe(token, client);
    else {
      const session = await getSession();
      outcome = session ? await reportWasntMeSignedIn(session.user.id, client) : null;
    }
  } catch (error) {
    return { values: {}, errors: {}, formError: failureMessage(error, "sign-out of every session") };
  }
  // Spent meanwhile (another tab, another request): the page now says so.
  if (!outcome?.ok) redirect(WASNT_ME_PATH);
  if (token !== null) await forgetLinkToken(WASNT_ME_PATH);
  // Every session ended, this browser's too: the owner signs in again with the new password.
  await deleteSessionCookie();
  redirect(signInWithNotice("wasnt-me"));
}
