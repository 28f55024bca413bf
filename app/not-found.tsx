import Link from "next/link";
import { HOME_PATH } from "@/lib/routes";

export default function NotFound() {
  return (
    <section className="card narrow">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <Link href={HOME_PATH}>Go to the home page</Link>
    </section>
  );
}
