// The settings the server under test runs with: its environment, plus the .env files Next.js would load for it
// (`npm run dev` keeps its signing secret in .env.development.local). Variables already set win, as in Next.js.
// Imported before lib/, which reads DATABASE_URL when it is first imported and SESSION_SECRET when first used.
import { fileURLToPath } from "node:url";
import nextEnv from "@next/env";
import { isProduction } from "../../lib/config";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
nextEnv.loadEnvConfig(projectRoot, !isProduction(), { info: () => undefined, error: console.error });
