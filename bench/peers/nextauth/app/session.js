// One session read per request, however many components ask (as Tessera's data access layer does).
import { cache } from "react";
import { auth } from "../auth";

export const currentSession = cache(() => auth());
