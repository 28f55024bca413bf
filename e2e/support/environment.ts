// The settings the server under test runs with: its environment, plus the .env files Next.js would load for it
// (`npm run dev` keeps its signing secret in .env.development.local). Variables already set win, as in Next.js.
// Imported before lib/, which reads DATABASE_URL when it is first imported and SESSION_SECRET when first used.
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import nextEnv from "@next/env";
import { isProduction } from "../../lib/config";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
nextEnv.loadEnvConfig(projectRoot, !isProduction(), { info: () => undefined, error: console.error });

// The fixtures call lib/, which writes its security events to stdout as the server does: in a test run they go to
// the run's log folder beside the servers' (scripts/e2e.mjs names it), not among the stories' results.
const logDir = process.env.E2E_LOG_DIR;
const print = console.log.bind(console);
console.log = (...args: unknown[]) => {
  const [first] = args;
  if (typeof first !== "string" || !first.startsWith('{"time":')) return print(...args);
  if (!logDir) return;
  mkdirSync(logDir, { recursive: true });
  appendFileSync(join(logDir, "fixtures-events.log"), `${first}\n`);
};
