import { DateTime } from "../../_components/date-time";
import { describeAddress } from "@/lib/http/client-info";
import { describeDevice } from "@/lib/http/devices";
import { describeEvent } from "@/lib/activity/messages";
import type { ActivityEvent } from "@/lib/activity/list.server";

/** One event as /account/activity and /admin show it: what happened, when, the device and address as /account/sessions names them. */
export function EventItem({ event, action }: { event: ActivityEvent; action?: React.ReactNode }) {
  const address = describeAddress(event.ipPrefix);
  const device = event.userAgent || address ? describeDevice(event.userAgent) : null;
  return (
    <li className="session" data-testid="activity-event" data-kind={event.kind}>
      <div>
        <p className="session-title" data-testid="activity-what">
          {describeEvent(event)}
        </p>
        <p className="session-detail">
          <DateTime date={event.at} />
          {device ? (
            <>
              {" · "}
              <span data-testid="activity-device">{device}</span>
            </>
          ) : null}
          {address ? ` · from ${address}` : ""}
        </p>
      </div>
      {action}
    </li>
  );
}
