// The home page as a signed-out person sees it, prerendered at build time: middleware serves it for a plain GET of
// `/` without a session cookie, under a policy that allows its inline scripts by their hashes instead of a nonce
// (docs/decisions/0011-signed-out-pages.md). `force-static` makes cookies() read as empty here, so the header and
// the page render their signed-out markup; asked for directly, middleware answers 404.
export { default } from "../../page";

export const dynamic = "force-static";
