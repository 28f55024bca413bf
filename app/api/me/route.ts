import { handle, json, refusedMethods } from "@/lib/http/json-api.server";
import { authenticateBearer } from "@/lib/sessions/bearer.server";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return handle(async () => {
    const { id, email, role } = await authenticateBearer(request.headers.get("authorization"));
    return json({ id, email, role });
  });
}

export const { POST, PUT, PATCH, DELETE } = refusedMethods("GET");
