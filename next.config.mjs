import { fileURLToPath } from "node:url";
import { PHASE_DEVELOPMENT_SERVER } from "next/constants.js";

// Development-only pages end in `.dev.tsx` (app/dev/mail/page.dev.tsx): Next.js routes them only under `next dev`,
// so no production build has them at all (e2e/mail-channel.spec.ts checks).
// Benchmark-only pages end in `.bench.tsx` (app/bench/public/page.bench.tsx), benchmark-only route handlers in
// `.bench.ts` (app/bench/sign-in/route.bench.ts). Next.js routes them only in a build made with BENCH_BUILD=1,
// which bench/server.mjs makes into its own folder: the product's build has no such route at all, whatever the
// environment of the server that serves it (e2e/security/requests.spec.ts checks both).
const benchBuild = process.env.BENCH_BUILD === "1";
// NEXT_DIST_DIR lets a benchmark build beside the test build without either overwriting the other.
const distDir = process.env.NEXT_DIST_DIR || ".next";
if (benchBuild && distDir === ".next") {
  throw new Error("BENCH_BUILD=1 adds benchmark-only pages: build them into their own NEXT_DIST_DIR, never .next");
}

/** The signed-out pages served as `next build` prerendered them, by path: lib/http/prerendered-pages.ts's list. */
const PRERENDERED_ROUTES = { "/": "/prerendered/home", "/sign-in": "/prerendered/sign-in" };

/** @type {(phase: string) => import('next').NextConfig} */
const nextConfig = (phase) => ({
  distDir,
  // The build's own folder, fixed into the server at build time: start-up reads its prerendered pages' scripts
  // from there (lib/http/prerendered-pages.server.ts), never from whatever build sits where it is started.
  env: { TESSERA_BUILD_DIR: fileURLToPath(new URL(`${distDir}/`, import.meta.url)) },
  // Next.js's own list, plus the development server's pages under `next dev`, and the benchmark's pages in the
  // benchmark's build. Middleware keeps its `.ts`.
  pageExtensions: [
    "tsx",
    "ts",
    "jsx",
    "js",
    ...(phase === PHASE_DEVELOPMENT_SERVER ? ["dev.tsx"] : []),
    ...(benchBuild ? ["bench.tsx", "bench.ts"] : []),
  ],
  // `npm test` checks the types in a stage of its own, beside the build; its builds skip checking them again.
  typescript: { ignoreBuildErrors: process.env.TESSERA_BUILD_SKIP_TYPECHECK === "1" },
  // A prerendered page, when middleware asks for it by this header (lib/http/prerendered-pages.ts, whose
  // PRERENDERED_ROUTES this list is: test/unit/prerendered-pages.test.ts holds them equal). Before the file system's
  // routes, after middleware, which deletes the header from every request it does not set it on. Only these paths:
  // paths middleware does not run on (static assets) must never be rewritten.
  rewrites: async () => ({
    beforeFiles: Object.entries(PRERENDERED_ROUTES).map(([source, route]) => ({
      source,
      has: [{ type: "header", key: "x-tessera-prerendered", value: `^${route}$` }],
      destination: route,
    })),
    afterFiles: [],
    fallback: [],
  }),
  // Tessera sends no identifying header about its stack.
  poweredByHeader: false,
  reactStrictMode: true,
  // Native and WebAssembly-backed packages stay out of the server bundle and load from node_modules at run time.
  serverExternalPackages: [
    "@prisma/client",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "better-sqlite3",
    "pg",
    "@node-rs/argon2",
    "nodemailer",
  ],
});

export default nextConfig;
