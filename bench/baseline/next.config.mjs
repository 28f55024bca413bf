// The baseline apps of figure 8 (bench/figures/layer-cost.mjs): Tessera's small pages, rendered by the same
// installed Next.js with no auth at all. One source, two builds: without middleware, and (BASELINE_MIDDLEWARE=1)
// with an empty edge middleware, middleware.edge.js, which Next.js finds only when its extension is listed here.
// The markup comes from Tessera's own components where they need no session (externalDir lets this app import
// them from ../../app), so the pages cannot drift apart; the figure also compares the HTML before measuring.
const withMiddleware = process.env.BASELINE_MIDDLEWARE === "1";

/** @type {import('next').NextConfig} */
const nextConfig = {
  distDir: process.env.NEXT_DIST_DIR || ".next",
  pageExtensions: ["jsx", "js", ...(withMiddleware ? ["edge.js"] : [])],
  poweredByHeader: false,
  reactStrictMode: true,
  experimental: { externalDir: true },
};

export default nextConfig;
