import { handle, json } from "@/lib/api/http";
import { authenticateBearer } from "@/lib/api-tokens.server";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return handle(async () => {
    const { id, email, role } = await authenticateBearer(request.headers.get("authorization"));
    return json({ id, email, role });
  });
}
