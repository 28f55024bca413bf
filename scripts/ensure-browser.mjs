// Before the end-to-end suite: make sure there is a Chromium to drive, the same one playwright.config.ts picks
// (CHROMIUM_PATH, else Playwright's own, else the system's /usr/bin/chromium). With none, it installs Playwright's
// own, and only if that fails says what to do, instead of letting Playwright fail with its own message later.
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";
import { bin, run } from "./lib.mjs";

const SYSTEM_CHROMIUM = "/usr/bin/chromium";

function help(reason) {
  console.error(`The end-to-end tests need Chromium: ${reason}
Either install Playwright's: npx playwright install chromium
or the system's (Debian, Ubuntu): apt-get install chromium
or point CHROMIUM_PATH at a Chromium binary.`);
  process.exit(1);
}

const named = process.env.CHROMIUM_PATH;
if (named !== undefined) {
  if (!existsSync(named)) help(`CHROMIUM_PATH names ${named}, which does not exist.`);
} else if (!existsSync(chromium.executablePath()) && !existsSync(SYSTEM_CHROMIUM)) {
  console.log("No Chromium found: installing Playwright's (npx playwright install chromium).");
  await run(bin("playwright"), ["install", "chromium"]).catch(() => help("installing Playwright's Chromium failed."));
}
