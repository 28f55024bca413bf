// Before the end-to-end suite: make sure there is a Chromium to drive, the same one playwright.config.ts picks
// (CHROMIUM_PATH, else Playwright's own, else the system's: scripts/chromium.mjs). With none, it installs Playwright's
// own, and only if that fails says what to do, instead of letting Playwright fail with its own message later.
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";
import { systemChromium } from "./chromium.mjs";
import { bin, run } from "./lib.mjs";

function help(reason) {
  console.error(`The end-to-end tests need Chromium: ${reason}
Either install Playwright's: npx playwright install chromium
or the system's (Debian, Ubuntu): apt-get install chromium-headless-shell (or chromium)
or point CHROMIUM_PATH at a Chromium binary.`);
  process.exit(1);
}

const named = process.env.CHROMIUM_PATH;
if (named !== undefined) {
  if (!existsSync(named)) help(`CHROMIUM_PATH names ${named}, which does not exist.`);
} else if (!existsSync(chromium.executablePath()) && !systemChromium()) {
  console.log("No Chromium found: installing Playwright's (npx playwright install chromium).");
  await run(bin("playwright"), ["install", "chromium"]).catch(() => help("installing Playwright's Chromium failed."));
}
