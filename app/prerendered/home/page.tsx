// The home page as a signed-out person sees it, prerendered at build time: a plain GET of `/` without a session
// cookie is rewritten here (middleware marks it, next.config.mjs rewrites it), under a policy that allows its
// inline scripts by their hashes instead of a nonce (docs/decisions/0011-signed-out-pages.md). `force-static` makes
// cookies() read as empty, so the header and the page render their signed-out markup; asked for directly,
// middleware answers 404.
export { default } from "../../page";

export const dynamic = "force-static";
