// Signs up one person once and saves the browser state, as Playwright's authentication guide recommends. Tests
// that need "someone signed in" but do not sign out reuse it with test.use({ storageState: SIGNED_IN_STATE }).
import { test as setup } from "@playwright/test";
import { SIGNED_IN_STATE } from "./support/fixtures";
import { newEmail, signUp } from "./support/users";

setup("sign in once", async ({ page }) => {
  await signUp(page, newEmail("shared"));
  await page.context().storageState({ path: SIGNED_IN_STATE });
});
