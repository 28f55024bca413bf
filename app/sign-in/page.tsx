import { redirect } from "next/navigation";
import { withDatabase } from "../_components/with-database";
import { ContinueWithProviders } from "../_components/continue-with-providers";
import { SIGN_IN_ACTIONS } from "./card-actions";
import { SignInCard, signInMetadata } from "./sign-in-card";
import { getCurrentUser } from "@/lib/sessions/data-access.server";
import { ACCOUNT_PATH, nextToCarry, safeReturnPath, SIGN_IN_NOTICES, SIGN_IN_PATH, type SignInNotice } from "@/lib/routes";
import { providerSettings } from "@/lib/config/providers";
import { isProviderNotice, PROVIDER_NOTICES } from "@/lib/providers/messages";

export const metadata = signInMetadata;

type SearchParams = Promise<{ next?: string | string[]; notice?: string | string[]; provider?: string | string[] }>;

/** Only the app's own fixed sentences: whatever else is in the address is never shown. */
function announcementFor(notice: unknown, provider: unknown): string | null {
  if (typeof notice !== "string") return null;
  if (Object.hasOwn(SIGN_IN_NOTICES, notice)) return SIGN_IN_NOTICES[notice as SignInNotice];
  const settings = providerSettings(provider);
  return settings && isProviderNotice(notice) ? PROVIDER_NOTICES[notice](settings.name) : null;
}

export default withDatabase(SIGN_IN_PATH, async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  if (await getCurrentUser()) redirect(ACCOUNT_PATH);
  const { next, notice, provider } = await searchParams;
  const returnTo = safeReturnPath(next);
  const providers = <ContinueWithProviders next={nextToCarry(returnTo)} />;
  return <SignInCard returnTo={returnTo} announcement={announcementFor(notice, provider)} actions={SIGN_IN_ACTIONS} providers={providers} />;
});
