import type { CurrentSession } from "@/lib/sessions/data-access.server";
import { listPasskeys } from "@/lib/passkeys/store.server";
import { LAST_WAY_IN_MESSAGE } from "@/lib/ways-in/messages";
import { PASSKEY_LAST_WAY_IN } from "./notices";
import { DateTime } from "../../_components/date-time";
import { SubmitButton } from "../../_components/submit-button";
import { AddPasskey } from "./add-passkey";
import { removePasskeyAction, renamePasskeyAction } from "./passkey-actions";
import { RenamePasskeyForm } from "./rename-passkey-form";

/** Passkeys: add, rename, remove. */
export async function PasskeysSection({ session, notice }: { session: CurrentSession; notice: unknown }) {
  const passkeys = await listPasskeys(session.user.id);
  return (
    <section aria-labelledby="passkeys-heading">
      <h2 id="passkeys-heading">Passkeys</h2>
      <p>
        A passkey signs you in with this device&apos;s screen lock, fingerprint or face, or a security key: no email or
        password to type, and it counts as two factors.
      </p>
      {notice === PASSKEY_LAST_WAY_IN ? (
        <p role="status" className="form-notice">
          {LAST_WAY_IN_MESSAGE}
        </p>
      ) : null}
      {passkeys.length === 0 ? (
        <p>You have no passkeys yet.</p>
      ) : (
        <ul className="session-list" aria-label="Your passkeys">
          {passkeys.map((passkey, index) => (
            <li key={passkey.id} className="session" data-testid="passkey" aria-labelledby={`passkey-${index}-name`}>
              <div>
                <p className="session-title">
                  <span id={`passkey-${index}-name`} data-testid="passkey-name">
                    {passkey.name}
                  </span>
                  {passkey.synced ? <span className="badge">Synced</span> : null}
                </p>
                <p className="session-detail">
                  Added <DateTime date={passkey.createdAt} testId="passkey-added" /> ·{" "}
                  {passkey.lastUsedAt ? (
                    <>
                      last used <DateTime date={passkey.lastUsedAt} testId="passkey-last-used" />
                    </>
                  ) : (
                    <span data-testid="passkey-last-used">not used yet</span>
                  )}
                </p>
              </div>
              <RenamePasskeyForm action={renamePasskeyAction.bind(null, passkey.id)} name={passkey.name} />
              <form action={removePasskeyAction.bind(null, passkey.id)}>
                <SubmitButton variant="danger">Remove</SubmitButton>
              </form>
            </li>
          ))}
        </ul>
      )}
      <AddPasskey />
    </section>
  );
}
