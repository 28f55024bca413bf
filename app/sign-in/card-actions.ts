import { signIn } from "../actions";
import { passkeySignInOptions, signInWithPasskey } from "./passkey-actions";
import type { SignInActions } from "./sign-in-card";

/** The sign-in card's server actions, for both pages that render it. */
export const SIGN_IN_ACTIONS: SignInActions = { password: signIn, passkey: { options: passkeySignInOptions, signIn: signInWithPasskey } };
