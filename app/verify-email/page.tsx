import type { Metadata } from "next";
import { confirmEmailAddress } from "./actions";
import { ActionForm } from "../_components/action-form";
import { LinkExpired } from "../_components/link-expired";
import { readLinkToken } from "../_lib/link-token";
import { withDatabase } from "../_components/with-database";
import { ACCOUNT_PATH, VERIFY_EMAIL_PATH } from "@/lib/routes";
import { findUsableToken } from "@/lib/tokens/one-time-tokens.server";

export const metadata: Metadata = { title: "Confirm your email" };

// Showing the button spends nothing: a mail scanner opening the link leaves it working.
export default withDatabase(VERIFY_EMAIL_PATH, async function VerifyEmailPage() {
  const grant = await findUsableToken(await readLinkToken(VERIFY_EMAIL_PATH), ["email-confirmation", "email-change"]);
  if (!grant) return <LinkExpired newLinkHref={ACCOUNT_PATH} newLinkLabel="Ask for a new link from your account page" />;
  return (
    <section className="card narrow">
      <h1>{grant.purpose === "email-change" ? "Confirm your new email" : "Confirm your email"}</h1>
      <p>
        {grant.purpose === "email-change"
          ? "Your Tessera account will use this email from now on, and every other session will be signed out:"
          : "This confirms that you read mail at:"}{" "}
        <strong>{grant.email}</strong>
      </p>
      <ActionForm action={confirmEmailAddress} fields={[]} submitLabel="Confirm email" />
    </section>
  );
});
