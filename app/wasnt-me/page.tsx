import type { Metadata } from "next";
import { confirmWasntMe } from "./actions";
import { ActionForm } from "../_components/action-form";
import { LinkExpired } from "../_components/link-expired";
import { readLinkToken } from "../_lib/link-token";
import { withDatabase } from "../_components/with-database";
import { WASNT_ME_MESSAGES } from "@/lib/activity/messages";
import { FORGOT_PASSWORD_PATH, WASNT_ME_PATH } from "@/lib/routes";
import { getSession } from "@/lib/sessions/data-access.server";
import { findUsableToken } from "@/lib/tokens/one-time-tokens.server";

export const metadata: Metadata = { title: "This wasn’t me" };

// Showing the button spends nothing: a mail scanner opening the link leaves it working. Only the POST acts.
export default withDatabase(WASNT_ME_PATH, async function WasntMePage() {
  const token = await readLinkToken(WASNT_ME_PATH);
  const grant = token === null ? null : await findUsableToken(token, ["wasnt-me"]);
  // Without a mailed link, the signed-in owner may do the same from /account/activity.
  const email = grant?.email ?? (token === null ? (await getSession())?.user.email : undefined);
  if (!email) return <LinkExpired newLinkHref={FORGOT_PASSWORD_PATH} newLinkLabel="Reset your password instead" />;
  return (
    <section className="card narrow">
      <h1>{WASNT_ME_MESSAGES.heading}</h1>
      <p>
        {WASNT_ME_MESSAGES.explanation} <strong>{email}</strong>.
      </p>
      <ActionForm action={confirmWasntMe} fields={[]} submitLabel={WASNT_ME_MESSAGES.confirm} submitVariant="danger" />
    </section>
  );
});
