// `npm run test:e2e`: the Playwright suite against a production build (`next build && next start`) on a free
// port, with its own fresh database and signing secret. Arguments go to `playwright test`.
// E2E_SKIP_BUILD=1 reuses the last build while iterating on tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bin, freePort, newSecret, run } from "./lib.mjs";
import { prepareDatabase } from "./prepare-db.mjs";

const dir = mkdtempSync(join(tmpdir(), "tessera-e2e-"));
const env = {
  ...process.env,
  NODE_ENV: "production",
  DATABASE_URL: `file:${join(dir, "e2e.db")}`,
  SESSION_SECRET: newSecret(),
  E2E_PORT: String(await freePort()),
};

let failed = false;
try {
  // Built without the secret: middleware must read it when the server starts, never have it baked in.
  const { SESSION_SECRET: _secret, ...buildEnv } = env;
  if (process.env.E2E_SKIP_BUILD !== "1") await run(bin("next"), ["build"], { env: buildEnv });
  await prepareDatabase(env);
  await run(bin("playwright"), ["test", ...process.argv.slice(2)], { env });
} catch (error) {
  console.error(error.message);
  failed = true;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
