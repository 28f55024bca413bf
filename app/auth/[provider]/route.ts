// POST /auth/<provider>: a "Continue with …", "Connect …" or "Confirm with …" button. A POST only (middleware
// refuses one from another site's page), so no other site can start a sign-in or a connect in a person's browser.
import { configuredProvider } from "@/lib/providers/flow.server";
import { isFlowPurpose, startProviderFlow } from "@/lib/sign-in/providers.server";
import { safeReturnPath } from "@/lib/routes";
import { plainPage } from "../../_lib/plain-page";
import { respond, unexpected } from "../respond";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ provider: string }> };

export async function POST(request: Request, { params }: Context): Promise<Response> {
  const settings = configuredProvider((await params).provider);
  if (!settings) {
    return plainPage({ title: "Not found", heading: "Not found", text: "No such sign-in provider.", link: { href: "/sign-in", label: "Sign in" }, status: 404 });
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return new Response("The form post could not be read.\n", { status: 400 });
  }
  const intent = form.get("intent") ?? "sign-in";
  if (!isFlowPurpose(intent)) return new Response("Unknown intent.\n", { status: 400 });
  // The same return-path check as the password form.
  const returnTo = safeReturnPath(form.get("next"));
  try {
    return await respond(await startProviderFlow(settings, intent, returnTo), settings);
  } catch (error) {
    return unexpected(error, "provider start");
  }
}
