// End-to-end tests in a real Chromium against the production build. Run them with `npm run test:e2e`, which
// builds, prepares a fresh database and signing secret, and picks a free port (scripts/e2e.mjs). With E2E_BASE_URL
// they run against a server already up instead (`npm run dev`), starting none.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { register } from "node:module";
import { chromium, defineConfig } from "@playwright/test";
import { baseURL, externalServer, port } from "./e2e/support/server";
import { systemChromium } from "./scripts/chromium.mjs";

// The fixtures (e2e/support/fixtures.ts) call lib/*.server.ts: let them import "server-only" here and in every
// worker, which loads this file too. What it changes, and why: e2e/support/server-only-hook.mjs.
register("./e2e/support/server-only-hook.mjs", import.meta.url);

/**
 * The Chromium CHROMIUM_PATH names, else Playwright's own when it is installed (`npx playwright install chromium`),
 * else the system's (scripts/chromium.mjs). The extra flags keep a system Chromium off the network it would
 * otherwise call home to.
 */
function browserLaunchOptions() {
  if (process.env.CHROMIUM_PATH === undefined && existsSync(chromium.executablePath())) return {};
  const executablePath = process.env.CHROMIUM_PATH ?? systemChromium();
  if (executablePath === undefined || !existsSync(executablePath)) return {};
  return {
    executablePath,
    args: [
      ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  };
}

/** Where the server under test writes its output (scripts/e2e.mjs sets it), rather than the terminal. */
const serverLog = process.env.E2E_SERVER_LOG;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Playwright's default is half the cores: one worker on 2 cores. A story spends most of its time waiting on the
  // server or the browser, so two per core keep a machine busy.
  workers: Math.min(8, 2 * availableParallelism()),
  reporter: [
    ["list"],
    ...(process.env.CI ? [] : [["html", { open: "never" }] as const]),
    // scripts/e2e.mjs names a file for the run's counts, which `npm test` adds up into its closing line.
    ...(process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["json"] as const] : []),
  ],
  // Room for a machine busy with other work (npm run test:stress): a story waits for outcomes, never for a fixed
  // time, so a passing one takes no longer for it; only a failure is reported later.
  timeout: 60_000,
  expect: { timeout: 15_000 },
  use: {
    baseURL,
    // A failed story keeps its trace: each step's DOM, network and console. Without the screencast, which would
    // cost more CPU than the story itself.
    trace: { mode: "retain-on-failure", screenshots: false },
    launchOptions: browserLaunchOptions(),
  },
  projects: [{ name: "chromium" }],
  webServer: externalServer
    ? undefined
    : {
        // The server's stdout is its event log, a line per sign-in: thousands of lines that would bury the
        // failures. scripts/e2e.mjs names a file for it (and for stderr); otherwise stdout is dropped.
        command: `node_modules/.bin/next start --port ${port}${serverLog ? ` >>${JSON.stringify(serverLog)} 2>&1` : ""}`,
        url: `${baseURL}/api/health`,
        reuseExistingServer: false,
        timeout: 60_000,
        stdout: "ignore",
        stderr: "pipe",
      },
});
