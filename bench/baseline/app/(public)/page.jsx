// Tessera's home page (app/page.tsx) as a signed-out person sees it.
import Link from "next/link";
import { SIGN_IN_PATH, SIGN_UP_PATH } from "../../../../lib/routes";

export default function HomePage() {
  return (
    <section className="card">
      <h1>Sign-in done right</h1>
      <p>
        Tessera is a small reference app for JWT cookie sessions: an httpOnly, signed cookie checked at the edge on
        every request, passwords hashed with argon2id, and sign-out that really ends the session.
      </p>
      <div className="actions">
        <Link href={SIGN_IN_PATH} className="button button-primary">
          Sign in
        </Link>
        <Link href={SIGN_UP_PATH} className="button button-quiet">
          Create account
        </Link>
      </div>
    </section>
  );
}
