// The Next.js configuration both peer apps (bench/peers/*/next.config.mjs) share: built by the project's own
// Next.js, into the dist folder the benchmark names, importing Tessera's components from outside the folder.
import { fileURLToPath } from "node:url";

/** @returns {import('next').NextConfig} */
export function peerConfig() {
  return {
    distDir: process.env.NEXT_DIST_DIR || ".next",
    poweredByHeader: false,
    reactStrictMode: true,
    experimental: { externalDir: true },
    // The project's root, whose node_modules has Next.js and React: a peer's own lockfile is the peer's alone.
    outputFileTracingRoot: fileURLToPath(new URL("../..", import.meta.url)),
  };
}
