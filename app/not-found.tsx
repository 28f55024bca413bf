import Link from "next/link";

export default function NotFound() {
  return (
    <section className="card narrow">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <Link href="/">Go to the home page</Link>
    </section>
  );
}
