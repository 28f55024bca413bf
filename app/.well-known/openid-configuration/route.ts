import { metadataResponse } from "@/lib/http/metadata-route.server";

export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return metadataResponse(request);
}
