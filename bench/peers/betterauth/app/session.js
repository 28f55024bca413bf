// One session read per request, however many components ask (as Tessera's data access layer does).
import { headers } from "next/headers";
import { cache } from "react";
import { auth } from "../auth";

export const currentSession = cache(async () => auth.api.getSession({ headers: await headers() }));
