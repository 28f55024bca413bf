import type { CurrentSession } from "@/lib/sessions/data-access.server";

/** Passkeys: add, rename, remove. */
export async function PasskeysSection(_props: { session: CurrentSession }) {
  return (
    <section aria-labelledby="passkeys-heading">
      <h2 id="passkeys-heading">Passkeys</h2>
    </section>
  );
}
