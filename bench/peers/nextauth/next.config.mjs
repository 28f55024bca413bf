// Figure 9's Auth.js peer (bench/figures/peers.mjs): next-auth v5, the credentials provider, JWT sessions, its
// auth() as middleware, and an /account page with Tessera's markup. Built by the project's own Next.js; next-auth
// itself is installed into this folder by the benchmark (npm ci), never into the app.
import { peerConfig } from "../next-config.mjs";

export default peerConfig();
