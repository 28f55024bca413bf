// `npm run dev` runs this first: everything a fresh clone needs, with no .env editing.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { newSecret, root } from "./lib.mjs";
import { prepareDatabase } from "./prepare-db.mjs";

// Next.js reads this file in development only (`next dev`), never in `next start`: production must be given
// its own SESSION_SECRET. The file is git-ignored.
const envFile = `${root}.env.development.local`;
const hasSecret = existsSync(envFile) && /^SESSION_SECRET=/m.test(readFileSync(envFile, "utf8"));
if (!process.env.SESSION_SECRET && !hasSecret) {
  appendFileSync(envFile, `# Development signing secret, made by scripts/dev-setup.mjs. Not for production.\nSESSION_SECRET=${newSecret()}\n`);
  console.log("Created a development signing secret in .env.development.local (git-ignored).");
}

await prepareDatabase();
