import { resendConfirmationLink } from "../account/actions";
import { ActionForm } from "./action-form";

/** "Send the link again", for an account whose email is not confirmed yet. */
export function ResendConfirmation() {
  return <ActionForm action={resendConfirmationLink} fields={[]} submitLabel="Send the link again" submitVariant="quiet" />;
}
