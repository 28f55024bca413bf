// `npm run test:e2e`: the Playwright suite against a production build (`next build && next start`) on a free
// port, with its own fresh database and signing secret, and a real SMTP server (scripts/mail-sink.mjs) that
// keeps every mail the app sends in a fresh folder (E2E_MAIL_DIR; read it with e2e/support/mailbox.ts), and a stub
// of the Pwned Passwords range API (scripts/pwned-passwords-stub.mjs) as PWNED_PASSWORDS_URL, and the identity
// providers people continue with (scripts/identity-providers.mjs: a real OpenID provider, a rogue one as Google, a
// GitHub stub), so no story reaches the network.
// Arguments go to `playwright test`. The servers' output goes to files under .test-reports/logs/, named at the end
// when the run failed.
//   --database=postgresql  runs against a fresh PostgreSQL database instead of SQLite, only the stories tagged
//                          @db (what the database can change: transactions, bursts, throttles, the outbox, several
//                          instances); --database=postgresql --all runs every story there
//   E2E_SKIP_BUILD=1       reuses the last build (the build does not depend on the database)
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bin, freePortInBlock, newSecret, root, run } from "./lib.mjs";
import { startMailSink } from "./mail-sink.mjs";
import { startPwnedPasswordsStub } from "./pwned-passwords-stub.mjs";
import { startIdentityProviders } from "./identity-providers.mjs";
import { createTestDatabase } from "./test-database.mjs";
import { LOG_DIR, logFile, reportFile } from "./test-report.mjs";

const flag = process.argv.find((arg) => arg.startsWith("--database="));
const provider = flag?.slice("--database=".length) ?? "sqlite";
const all = process.argv.includes("--all");
const playwrightArgs = process.argv.slice(2).filter((arg) => arg !== flag && arg !== "--all");
// SQLite runs every story; another database, those that exercise what differs between databases.
if (provider !== "sqlite" && !all) playwrightArgs.push("--grep", "@db");

// The main server's port, from a block below the OS's range (freePortInBlock): a port the OS handed out could be
// another process's by the time `next start` binds it; the other lane of `npm test` opens ports all the while.
const MAIN_SERVER_PORTS = { sqlite: 19_000, postgresql: 19_500 };
const port = await freePortInBlock(MAIN_SERVER_PORTS[provider] ?? 19_000, 500);
const mailDir = mkdtempSync(join(tmpdir(), "tessera-e2e-mail-"));
const env = {
  ...process.env,
  NODE_ENV: "production",
  SESSION_SECRET: newSecret(),
  E2E_PORT: String(port),
  // Links in mail point at the server under test (servers started by a test get their own: extra-server.ts).
  APP_URL: `http://localhost:${port}`,
  E2E_MAIL_DIR: mailDir,
  PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile(`e2e-${provider}`),
  // The server Playwright starts writes here (playwright.config.ts), the ones stories start beside it
  // (e2e/support/extra-server.ts) into a folder.
  E2E_SERVER_LOG: logFile(`e2e-${provider}-server`),
  E2E_LOG_DIR: join(LOG_DIR, `e2e-${provider}-servers`),
  // Stories about the forms sign up through them, all from this machine's one address (the others get people from
  // the fixtures): the sign-up limit is tested on a server of its own (e2e/security/abuse.spec.ts), not this one.
  SIGN_UPS_PER_ADDRESS: process.env.SIGN_UPS_PER_ADDRESS ?? "100000",
  // Likewise every reset and confirmation link the stories ask for; the per-account mail limit stays as shipped.
  MAILS_PER_ADDRESS: process.env.MAILS_PER_ADDRESS ?? "100000",
  // Two resource servers (e2e/resource-server.spec.ts starts examples/resource-server as each), with their own
  // introspection secrets.
  ACCESS_TOKEN_AUDIENCES: "https://orders.example.test,https://billing.example.test",
  INTROSPECTION_CLIENTS: `https://orders.example.test=${newSecret()},https://billing.example.test=${newSecret()}`,
};

// One run's output only.
rmSync(env.E2E_SERVER_LOG, { force: true });
rmSync(env.E2E_LOG_DIR, { recursive: true, force: true });

let failed = false;
let database = null;
let sink = null;
let pwned = null;
let identityProviders = null;
try {
  // Built without the secret: middleware must read it when the server starts, never have it baked in.
  const { SESSION_SECRET: _secret, ...buildEnv } = env;
  const haveBuild = existsSync(`${root}.next/BUILD_ID`);
  if (process.env.E2E_SKIP_BUILD !== "1" || !haveBuild) await run(bin("next"), ["build"], { env: buildEnv });
  database = await createTestDatabase(provider);
  if (database) {
    sink = await startMailSink({ dir: mailDir });
    pwned = await startPwnedPasswordsStub();
    identityProviders = await startIdentityProviders({ appUrl: env.APP_URL });
    console.log(`End-to-end suite against ${provider}.`);
    // Servers the stories start inherit these too (e2e/support/extra-server.ts), the stubs' URLs with them; the
    // providers accept those servers' callbacks on their own ports. testEnv: where stories reach the providers.
    const services = {
      DATABASE_URL: database.url,
      SMTP_URL: sink.url,
      PWNED_PASSWORDS_URL: pwned.url,
      ...identityProviders.appEnv,
      ...identityProviders.testEnv,
    };
    await run(bin("playwright"), ["test", ...playwrightArgs], { env: { ...env, ...services } });
  }
} catch (error) {
  console.error(error.message);
  console.error(`Server output: ${env.E2E_SERVER_LOG} and ${env.E2E_LOG_DIR}/`);
  failed = true;
} finally {
  await sink?.stop();
  await pwned?.stop();
  await identityProviders?.stop();
  await database?.drop();
  rmSync(mailDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
