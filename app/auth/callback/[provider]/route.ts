// GET /auth/callback/<provider>: where the provider sends the browser back (APP_URL + this path is what the provider
// is given). The transaction's cookie is cleared whatever happens: it is good for one callback.
import { cookies } from "next/headers";
import { configuredProvider } from "@/lib/providers/flow.server";
import { transactionCookie } from "@/lib/providers/transaction.server";
import { finishProviderFlow } from "@/lib/sign-in/providers.server";
import { SIGN_IN_PATH } from "@/lib/routes";
import { failurePage, respond, unexpected } from "../../respond";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ provider: string }> };

export async function GET(request: Request, { params }: Context): Promise<Response> {
  const settings = configuredProvider((await params).provider);
  // A provider not configured (any more) gets the page a stale or forged callback gets.
  if (!settings) return failurePage("expired", "the provider", SIGN_IN_PATH);
  const jar = await cookies();
  const { name, value: _none, ...attributes } = transactionCookie(settings.id, "", 0);
  const sealed = jar.get(name)?.value;
  jar.set(name, "", attributes);
  try {
    return await respond(await finishProviderFlow(settings, new URL(request.url), sealed), settings);
  } catch (error) {
    return unexpected(error, "provider callback");
  }
}
