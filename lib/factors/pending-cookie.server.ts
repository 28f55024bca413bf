import "server-only";
// The pending sign-in's cookie in the request and the response (next/headers). Only /sign-in (which sets it) and
// /sign-in/verify (which reads and clears it) use these.
import { cookies } from "next/headers";
import { sessionConfig } from "../config";
import { pendingSignInCookie } from "./pending-cookie";

function attributes() {
  return pendingSignInCookie(sessionConfig().secureCookie);
}

export async function setPendingSignInCookie(token: string): Promise<void> {
  const { name, ...rest } = attributes();
  (await cookies()).set(name, token, rest);
}

export async function readPendingSignInCookie(): Promise<string | undefined> {
  return (await cookies()).get(attributes().name)?.value;
}

export async function deletePendingSignInCookie(): Promise<void> {
  const { name, ...rest } = attributes();
  (await cookies()).set(name, "", { ...rest, maxAge: 0 });
}
