// Figure 9's better-auth peer (bench/figures/peers.mjs): email and password, database sessions in a SQLite
// file (through the project's own better-sqlite3), with or without its cookie cache (PEER_COOKIE_CACHE=1, read when
// the server starts), and an /account page with Tessera's markup. better-auth is installed into this folder by the
// benchmark (npm ci), never into the app.
import { peerConfig } from "../next-config.mjs";

export default peerConfig();
