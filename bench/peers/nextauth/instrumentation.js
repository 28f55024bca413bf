// No instrumentation: this file only keeps Next.js 16's Turbopack, whose root is the project's (next-config.mjs),
// from taking Tessera's own instrumentation.ts for this app, which would refuse to start without APP_URL.
export function register() {}
