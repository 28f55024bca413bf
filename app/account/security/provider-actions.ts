"use server";
// "Disconnect" on /account/security. Changing how the account signs in needs a recent authentication (step-up);
// lib/providers refuses to remove the last way in.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { isProviderId } from "@/lib/config/providers";
import { clientInfoFrom } from "@/lib/http/client-info";
import { disconnectProvider } from "@/lib/providers/accounts.server";
import { SECURITY_PATH } from "@/lib/routes";
import { requireRecentAuthentication } from "@/lib/sessions/data-access.server";

export async function disconnectProviderAction(provider: unknown): Promise<void> {
  const { user } = await requireRecentAuthentication(SECURITY_PATH);
  // The id is bound on the server; a forged one is a provider nobody has connected.
  if (!isProviderId(provider)) redirect(SECURITY_PATH);
  const outcome = await disconnectProvider(user.id, provider, clientInfoFrom(await headers()));
  redirect(`${SECURITY_PATH}?${new URLSearchParams({ provider, notice: outcome === "last-way-in" ? "last-way-in" : "disconnected" })}`);
}
