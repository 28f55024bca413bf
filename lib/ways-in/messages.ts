// What a person reads when a removal would leave no way to sign in. Pure: the security page's sections import it.
export const LAST_WAY_IN_MESSAGE =
  "This is your only way to sign in. Set a password (Change password, on your account page), add a passkey or connect another account first.";
