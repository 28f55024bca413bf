// Tessera's layout and header (bench/baseline/app/shell.jsx), the person from next-auth's session.
import { Shell } from "../../../baseline/app/shell";
import { currentSession } from "./session";

export { metadata, viewport } from "../../../baseline/app/shell";

export const dynamic = "force-dynamic";

export default async function RootLayout({ children }) {
  const session = await currentSession();
  return <Shell viewer={session?.user ? { email: session.user.email } : null}>{children}</Shell>;
}
