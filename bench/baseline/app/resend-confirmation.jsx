// Tessera's "Send the link again" (app/_components/resend-confirmation.tsx) with a stand-in action, so that the
// baseline's and the peers' /account render Tessera's markup for a person whose email is not confirmed yet.
import { ActionForm } from "../../../app/_components/action-form";
import { resendConfirmationLink } from "./actions";

export function ResendConfirmation() {
  return <ActionForm action={resendConfirmationLink} fields={[]} submitLabel="Send the link again" submitVariant="quiet" />;
}
