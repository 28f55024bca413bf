import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@/": fileURLToPath(new URL("./", import.meta.url)),
      "server-only": fileURLToPath(new URL("./test/support/server-only.ts", import.meta.url)),
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Each test's line in the JSON report, so that `npm test` can name a failure as file:line.
    includeTaskLocation: true,
    // A bound for a test that hangs, not a measure of speed (bench/ measures that): in `npm test` this lane shares
    // the 2 cores with the browser lane, and a flow through the real OpenID provider that takes 0.5 s alone took
    // over 5 s, vitest's default, in a fresh clone's run.
    testTimeout: 30_000,
    // lib/'s event log (a JSON line per sign-in, session, code…) would bury the results: tests that care spy on it.
    onConsoleLog: (log) => !log.startsWith('{"time":'),
    // A fresh, migrated SQLite file for the run: integration tests use the real database.
    globalSetup: ["test/support/global-setup.ts"],
    // A fixed, test-only signing secret: lib/ reads its configuration from the environment. No test reaches the
    // breached-password service: the bundled list alone, unless a test builds a checker on its own stub.
    env: { NODE_ENV: "test", SESSION_SECRET: Buffer.alloc(32, 42).toString("base64"), BREACHED_PASSWORDS: "offline" },
  },
});
