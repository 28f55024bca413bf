import Link from "next/link";

export default function HomePage() {
  return (
    <section className="card">
      <h1>Sign-in done right</h1>
      <p>
        Tessera is a small reference app for JWT cookie sessions: an httpOnly, signed cookie checked at the edge on
        every request, passwords hashed with argon2id, and sign-out that really ends the session.
      </p>
      <div className="actions">
        <Link href="/sign-in" className="button button-primary">
          Sign in
        </Link>
        <Link href="/sign-up" className="button button-quiet">
          Create account
        </Link>
      </div>
    </section>
  );
}
