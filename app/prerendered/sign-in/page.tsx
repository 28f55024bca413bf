// The sign-in page as a signed-out person with no return path sees it on a server with no sign-in providers,
// prerendered at build time and served under a policy of its scripts' hashes, like the home page beside it
// (docs/decisions/0011-signed-out-pages.md). A server with providers renders /sign-in per request, with their buttons:
// which providers answer is known only while it runs (lib/http/prerendered-pages.server.ts leaves this page out).
import { SIGN_IN_ACTIONS } from "../../sign-in/card-actions";
import { SignInCard, signInMetadata } from "../../sign-in/sign-in-card";
import { ACCOUNT_PATH } from "@/lib/routes";

export const metadata = signInMetadata;

export const dynamic = "force-static";

export default function PrerenderedSignInPage() {
  return <SignInCard returnTo={ACCOUNT_PATH} announcement={null} actions={SIGN_IN_ACTIONS} />;
}
