import { Shell } from "../shell";

export { metadata, viewport } from "../shell";

// Rendered per request, as every Tessera page is (its layout's `dynamic`, for the CSP nonce).
export const dynamic = "force-dynamic";

export default function PublicLayout({ children }) {
  return <Shell viewer={null}>{children}</Shell>;
}
