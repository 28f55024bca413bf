import { FIXED_PERSON } from "../fixed-person";
import { Shell } from "../shell";

export { metadata, viewport } from "../shell";

export const dynamic = "force-dynamic";

export default function SignedInLayout({ children }) {
  return <Shell viewer={FIXED_PERSON}>{children}</Shell>;
}
