import type { PasswordPolicy } from "@/lib/config";
import type { FieldSpec } from "../_components/action-form";

const email: FieldSpec = { name: "email", label: "Email", type: "email", autoComplete: "email" };
// "webauthn" last: the browser may offer the site's passkeys in this field (conditional mediation, /sign-in).
const signInEmail: FieldSpec = { ...email, autoComplete: "username webauthn" };

export function passwordHint({ minLength, maxLength }: PasswordPolicy): string {
  return `${minLength} to ${maxLength} characters. A few unrelated words make a strong one.`;
}

/** The fields of the credential forms, by the labels people and tests find them by. */
export const CREDENTIAL_FIELDS = {
  signIn: [signInEmail, { name: "password", label: "Password", type: "password", autoComplete: "current-password" }],
  // "new-password" lets password managers offer a generated one.
  signUp: (hint: string): FieldSpec[] => [
    email,
    { name: "password", label: "Password", type: "password", autoComplete: "new-password", hint },
  ],
  changePassword: (hint: string): FieldSpec[] => [
    { name: "currentPassword", label: "Current password", type: "password", autoComplete: "current-password" },
    { name: "newPassword", label: "New password", type: "password", autoComplete: "new-password", hint },
  ],
  forgotPassword: [email],
  resetPassword: (hint: string): FieldSpec[] => [
    { name: "newPassword", label: "New password", type: "password", autoComplete: "new-password", hint },
  ],
  changeEmail: [
    { name: "newEmail", label: "New email", type: "email", autoComplete: "email" },
    { name: "currentPassword", label: "Current password", type: "password", autoComplete: "current-password" },
  ],
  // Authenticator-app codes and recovery codes: /sign-in/verify, step-up, /account/security.
  totpCode: [{ name: "code", label: "Code", type: "text", autoComplete: "one-time-code", inputMode: "numeric" }],
  recoveryCode: [{ name: "recoveryCode", label: "Recovery code", type: "text", autoComplete: "off" }],
  turnOffTotp: [
    { name: "currentPassword", label: "Current password", type: "password", autoComplete: "current-password" },
    { name: "code", label: "Code", type: "text", autoComplete: "one-time-code", inputMode: "numeric" },
  ],
  confirmWithPassword: [
    { name: "password", label: "Password", type: "password", autoComplete: "current-password" },
  ],
} satisfies Record<string, FieldSpec[] | ((hint: string) => FieldSpec[])>;

/** A form's fields for an account with no password (made through a provider): the current password left out. */
export function withoutCurrentPassword(fields: FieldSpec[], hasPassword: boolean): FieldSpec[] {
  return hasPassword ? fields : fields.filter((spec) => spec.autoComplete !== "current-password");
}
