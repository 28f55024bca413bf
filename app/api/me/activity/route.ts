import { ApiError, handle, json, refusedMethods } from "@/lib/http/json-api.server";
import { authenticateBearer } from "@/lib/sessions/bearer.server";
import { ActivityCursorError, listEvents } from "@/lib/activity/list.server";
import { ACTIVITY_MESSAGES, describeEvent } from "@/lib/activity/messages";
import { describeAddress } from "@/lib/http/client-info";
import { describeDevice } from "@/lib/http/devices";

export const dynamic = "force-dynamic";

/** The token's own account's events, newest first; `?cursor=` from the last answer's nextCursor for older ones. */
export async function GET(request: Request): Promise<Response> {
  return handle(async () => {
    const { id } = await authenticateBearer(request.headers.get("authorization"));
    const cursor = new URL(request.url).searchParams.get("cursor");
    let page;
    try {
      page = await listEvents(id, { cursor });
    } catch (error) {
      if (error instanceof ActivityCursorError) throw new ApiError(400, "invalid_request", ACTIVITY_MESSAGES.badCursor);
      throw error;
    }
    return json({
      events: page.events.map((event) => ({
        id: event.id,
        kind: event.kind,
        at: event.at.toISOString(),
        description: describeEvent(event),
        device: describeDevice(event.userAgent),
        address: describeAddress(event.ipPrefix),
        count: event.count,
        details: event.details,
      })),
      nextCursor: page.nextCursor,
    });
  });
}

export const { POST, PUT, PATCH, DELETE } = refusedMethods("GET");
