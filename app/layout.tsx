import type { Metadata, Viewport } from "next";
import { SignOutForm, SiteHeader } from "./_components/site-header";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Tessera", template: "%s · Tessera" },
  description: "Sign up, sign in and sign out, with JWT cookie sessions done right.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// Every page is rendered per request: its scripts carry that response's CSP nonce (middleware.ts), which a page
// prerendered at build time could not.
export const dynamic = "force-dynamic";

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
