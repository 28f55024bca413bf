// What a person reads when a password is checked: at sign-in (the form and the API's error descriptions alike)
// and when the signed-in person confirms their password. Each sentence once; the actions and routes use these.

export const SIGN_IN_MESSAGES = {
  /** Unknown email and wrong password answer alike. */
  invalidCredentials: "Invalid email or password.",
  passwordMissing: "Enter your password.",
  /** Confirming who they are (/account/confirm). */
  wrongPassword: "That is not your password.",
  /** Before a change that needs the current password (a new password, turning a factor off, deletion). */
  wrongCurrentPassword: "That is not your current password.",
} as const;

/** "Too many attempts. Try again in 4 minutes." */
export function throttledMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
