import { refusedMethods } from "@/lib/http/json-api.server";
import { databaseIsReachable } from "@/lib/db/db.server";

export const dynamic = "force-dynamic";

/** For load balancers and uptime checks: 200 when the database answers, 503 when it does not. */
export async function GET(): Promise<Response> {
  const ok = await databaseIsReachable();
  return Response.json(
    { status: ok ? "ok" : "unavailable" },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}

export const { POST, PUT, PATCH, DELETE } = refusedMethods("GET");
