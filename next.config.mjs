/** @type {import('next').NextConfig} */
const nextConfig = {
  // Tessera sends no identifying header about its stack.
  poweredByHeader: false,
  reactStrictMode: true,
  // Native and WebAssembly-backed packages stay out of the server bundle and load from node_modules at run time.
  serverExternalPackages: ["@prisma/client", "@prisma/adapter-better-sqlite3", "better-sqlite3", "@node-rs/argon2"],
  experimental: {
    serverActions: {
      // Sign-in and sign-up forms are a few hundred bytes; anything far larger is refused before it is parsed.
      bodySizeLimit: "64kb",
    },
  },
};

export default nextConfig;
