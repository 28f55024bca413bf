// Tessera's root layout (app/layout.tsx) and header (app/_components/site-header.tsx) as they render for a
// signed-out and for a signed-in person, with the person given instead of read from a session.
import Link from "next/link";
import { ACCOUNT_PATH, HOME_PATH, SIGN_IN_PATH, SIGN_UP_PATH } from "../../../lib/routes";
import { signOut } from "./actions";
import "../../../app/globals.css";

export const metadata = {
  title: { default: "Tessera", template: "%s · Tessera" },
  description: "Sign up, sign in and sign out, with JWT cookie sessions done right.",
};

export const viewport = { width: "device-width", initialScale: 1 };

const SIGN_OUT_FORM = "site-sign-out";

function SiteHeader({ viewer }) {
  return (
    <header className="site-header">
      <Link href={HOME_PATH} className="brand">
        Tessera
      </Link>
      <nav aria-label="Account" className="site-nav">
        {viewer ? (
          <>
            <span className="site-user">{viewer.email}</span>
            <Link href={ACCOUNT_PATH}>Account</Link>
            <button type="submit" form={SIGN_OUT_FORM} className="button button-quiet button-small">
              Sign out<span className="visually-hidden"> on this device</span>
            </button>
          </>
        ) : (
          <>
            <Link href={SIGN_IN_PATH}>Sign in</Link>
            <Link href={SIGN_UP_PATH}>Create account</Link>
          </>
        )}
      </nav>
    </header>
  );
}

export function Shell({ viewer, children }) {
  return (
    <html lang="en">
      <body>
        <SiteHeader viewer={viewer} />
        <main className="page">{children}</main>
        {viewer ? <form id={SIGN_OUT_FORM} action={signOut} /> : null}
      </body>
    </html>
  );
}

/** A root layout whose person comes from `currentSession()`: figure 9's peers, each with its library's session. */
export function layoutWithSession(currentSession) {
  return async function RootLayout({ children }) {
    const session = await currentSession();
    return <Shell viewer={session?.user ? { email: session.user.email } : null}>{children}</Shell>;
  };
}
