import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { clientAddress } from "@/lib/http/client-info";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * /dev/mail shows links that sign people in to their accounts. Its pages exist only under `next dev` (the
 * `.dev.tsx` extension, next.config.mjs); even there they answer 404 unless the server runs in development and
 * the request comes from this machine (`next dev` listens on every interface).
 */
export async function developmentOnly(): Promise<void> {
  if (process.env.NODE_ENV !== "development") notFound();
  if (!LOOPBACK.test(clientAddress(await headers()) ?? "")) notFound();
}
