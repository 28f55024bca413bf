// What a person reads about second factors: at sign-in (/sign-in/verify), at step-up (/account/confirm) and on
// /account/security. Each sentence once; the actions use these.

export const FACTOR_MESSAGES = {
  malformedCode: "Enter the 6-digit code your authenticator app shows.",
  wrongCode: "That code is not right, or was already used. Wait for the next one and try again.",
  malformedRecoveryCode: "Enter a recovery code: 12 letters and digits, like abcd-efgh-ijkl.",
  wrongRecoveryCode: "That recovery code is not right, or was already used.",
  setupReplaced: "This setup was replaced or finished in another window. Start again from this page.",
} as const;
