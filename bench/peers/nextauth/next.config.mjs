// Figure 9's Auth.js peer (bench/figures/peers.mjs): next-auth v5, the credentials provider, JWT sessions, its
// auth() as middleware, and an /account page with Tessera's markup. Built by the project's own Next.js; next-auth
// itself is installed into this folder by the benchmark (npm ci), never into the app.
import { fileURLToPath } from "node:url";

/** @type {import('next').NextConfig} */
const nextConfig = {
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  experimental: { externalDir: true },
  // The project's root, whose node_modules has Next.js and React: this folder's lockfile is the peer's alone.
  outputFileTracingRoot: fileURLToPath(new URL("../../..", import.meta.url)),
};

export default nextConfig;
