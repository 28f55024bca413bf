import type { CurrentSession } from "@/lib/sessions/data-access.server";

/** The authenticator app (TOTP): set up, recovery codes, turn off. */
export async function TotpSection(_props: { session: CurrentSession }) {
  return (
    <section aria-labelledby="totp-heading">
      <h2 id="totp-heading">Authenticator app</h2>
    </section>
  );
}
