import Link from "next/link";
import { ACCOUNT_PATH, HOME_PATH, SIGN_IN_PATH, SIGN_UP_PATH } from "@/lib/routes";
import { signOut } from "../actions";
import { currentViewer, UNKNOWN_VIEWER } from "../_lib/viewer";

/** The id tying the header's "Sign out" button to its form, which SignOutForm renders after the page. */
const SIGN_OUT_FORM = "site-sign-out";

/**
 * The banner on every page: who is signed in, with "Account" and "Sign out"; otherwise "Sign in" and "Create
 * account". While the database cannot say, only the name: claiming either would be a guess.
 */
export async function SiteHeader() {
  const viewer = await currentViewer();
  return (
    <header className="site-header">
      <Link href={HOME_PATH} className="brand">
        Tessera
      </Link>
      {viewer === UNKNOWN_VIEWER ? null : (
        <nav aria-label="Account" className="site-nav">
          {viewer ? (
            <>
              <span className="site-user">{viewer.email}</span>
              <Link href={ACCOUNT_PATH}>Account</Link>
              {/* The accessible name says whose sign-out this is: the sessions page has a "Sign out" per device. */}
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
      )}
    </header>
  );
}

/**
 * The header's sign-out form (a POST to the signOut server action, with or without JavaScript), rendered after
 * the page's content so that each page's own form stays the first in its HTML, where whatever posts a page's
 * form without a browser looks for it (e2e/support/forms.ts does). Nothing for anyone not signed in.
 */
export async function SignOutForm() {
  const viewer = await currentViewer();
  if (!viewer || viewer === UNKNOWN_VIEWER) return null;
  return <form id={SIGN_OUT_FORM} action={signOut} />;
}
