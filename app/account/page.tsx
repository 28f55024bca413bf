import type { Metadata } from "next";
import { signOut } from "../actions";
import { SubmitButton } from "../_components/submit-button";
import { withDatabase } from "../_components/with-database";
import { requireUser } from "@/lib/auth.server";
import { ACCOUNT_PATH } from "@/lib/routes";

export const metadata: Metadata = { title: "Your account" };

const createdFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });

export default withDatabase(async function AccountPage() {
  const user = await requireUser(ACCOUNT_PATH);
  return (
    <section className="card narrow">
      <h1>Your account</h1>
      <dl className="facts">
        <dt>Signed in as</dt>
        <dd data-testid="account-email">{user.email}</dd>
        <dt>Account created</dt>
        <dd>
          <time dateTime={user.createdAt.toISOString()}>{createdFormat.format(user.createdAt)} UTC</time>
        </dd>
      </dl>
      <form action={signOut}>
        <SubmitButton variant="quiet">Sign out</SubmitButton>
      </form>
    </section>
  );
});
