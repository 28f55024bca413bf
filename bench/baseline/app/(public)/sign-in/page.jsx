// Tessera's sign-in card (app/sign-in/sign-in-card.tsx) with the baseline's stand-in actions.
import { SignInCard, signInMetadata } from "../../../../../app/sign-in/sign-in-card";
import { passkeySignInOptions, signIn, signInWithPasskey } from "../../actions";

export const metadata = signInMetadata;

export default async function SignInPage({ searchParams }) {
  await searchParams;
  return <SignInCard returnTo="/account" announcement={null} actions={{ password: signIn, passkey: { options: passkeySignInOptions, signIn: signInWithPasskey } }} />;
}
