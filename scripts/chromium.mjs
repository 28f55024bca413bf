// Which Chromium the e2e suite drives when neither CHROMIUM_PATH nor Playwright's own browser is there: Debian's
// headless shell first (what Playwright itself runs headless, and less than half the full browser's CPU per story),
// else Debian's full browser. Shared by playwright.config.ts and scripts/ensure-browser.mjs.
import { existsSync } from "node:fs";

export const SYSTEM_CHROMIUMS = ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"];

/** The first of SYSTEM_CHROMIUMS installed here, or undefined. */
export function systemChromium() {
  return SYSTEM_CHROMIUMS.find((path) => existsSync(path));
}
