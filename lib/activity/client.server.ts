import "server-only";
// The client of the request being served, as an event records it. Outside a request (a script, a test without
// one) there is none, and the event says nothing about a device rather than fail the change.
import { headers } from "next/headers";
import { clientInfoFrom } from "../http/client-info";
import { NO_CLIENT, type EventClient } from "./record.server";

export async function requestClient(): Promise<EventClient> {
  try {
    const { userAgent, ipPrefix } = clientInfoFrom(await headers());
    return { userAgent, ipPrefix };
  } catch {
    return NO_CLIENT;
  }
}
