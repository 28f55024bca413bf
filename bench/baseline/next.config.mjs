// The baseline apps of figure 8 (bench/figures/layer-cost.mjs): Tessera's small pages, rendered by the same
// installed Next.js with no auth at all. One source, three builds: without a gate, with an empty edge middleware
// (BASELINE_MIDDLEWARE=1: middleware.edge.js) and with an empty Node.js proxy (BASELINE_PROXY=1: proxy.node.js);
// Next.js finds each gate file only when its extension is listed here.
// The markup comes from Tessera's own components where they need no session (externalDir lets this app import
// them from ../../app), so the pages cannot drift apart; the figure also compares the HTML before measuring.
const gateExtensions = [
  ...(process.env.BASELINE_MIDDLEWARE === "1" ? ["edge.js"] : []),
  ...(process.env.BASELINE_PROXY === "1" ? ["node.js"] : []),
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  distDir: process.env.NEXT_DIST_DIR || ".next",
  pageExtensions: ["jsx", "js", ...gateExtensions],
  poweredByHeader: false,
  reactStrictMode: true,
  experimental: { externalDir: true },
};

export default nextConfig;
