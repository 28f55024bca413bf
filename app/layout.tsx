import type { Metadata, Viewport } from "next";
import { SignOutForm, SiteHeader } from "./_components/site-header";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Tessera", template: "%s · Tessera" },
  description: "Sign up, sign in and sign out, with JWT cookie sessions done right.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// Every page is rendered per request, its scripts carrying that response's CSP nonce (middleware.ts): SiteHeader
// reads the session cookie, which makes each route dynamic. The one exception is app/prerendered/, built once and
// served under a policy of script hashes instead (docs/decisions/0011-signed-out-pages.md).

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <SiteHeader />
        <main className="page">{children}</main>
        <SignOutForm />
      </body>
    </html>
  );
}
