/** @type {import('next').NextConfig} */
const nextConfig = {
  // NEXT_DIST_DIR lets a benchmark build beside the test build without either overwriting the other.
  distDir: process.env.NEXT_DIST_DIR || ".next",
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
  ],
};

export default nextConfig;
