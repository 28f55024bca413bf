import Link from "next/link";
import { ACCOUNT_PATH, SIGN_IN_PATH, SIGN_UP_PATH } from "@/lib/routes";
import { currentViewer, UNKNOWN_VIEWER } from "./_lib/viewer";

export default async function HomePage() {
  const viewer = await currentViewer();
  // While the database cannot say, the usual offers: signing in will tell the person what is wrong.
  const signedIn = viewer !== null && viewer !== UNKNOWN_VIEWER;
  return (
    <section className="card">
      <h1>Sign-in done right</h1>
      <p>
        Tessera is a small reference app for JWT cookie sessions: an httpOnly, signed cookie checked at the edge on
        every request, passwords hashed with argon2id, and sign-out that really ends the session.
      </p>
      <div className="actions">
        {signedIn ? (
          <Link href={ACCOUNT_PATH} className="button button-primary">
            Go to your account
          </Link>
        ) : (
          <>
            <Link href={SIGN_IN_PATH} className="button button-primary">
              Sign in
            </Link>
            <Link href={SIGN_UP_PATH} className="button button-quiet">
              Create account
            </Link>
          </>
        )}
      </div>
    </section>
  );
}
