// `npm run dev` runs this first: everything a fresh clone needs, with no .env editing.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { newSecret, root } from "./lib.mjs";
import { prepareDatabase } from "./prepare-db.mjs";

// The development provider signs anyone in as its test person: never where production could reach it.
const devProvider = /^(1|true)$/i.test(process.env.DEV_OIDC_PROVIDER ?? "");
if (devProvider && process.env.NODE_ENV === "production") {
  console.error("DEV_OIDC_PROVIDER is for development only: it signs anyone in as a test person. Unset it in production.");
  process.exit(1);
}

// Next.js reads this file in development only (`next dev`), never in `next start`: production must be given
// its own SESSION_SECRET. The file is git-ignored.
const envFile = `${root}.env.development.local`;
const hasSecret = existsSync(envFile) && /^SESSION_SECRET=/m.test(readFileSync(envFile, "utf8"));
if (!process.env.SESSION_SECRET && !hasSecret) {
  appendFileSync(envFile, `# Development signing secret, made by scripts/dev-setup.mjs. Not for production.\nSESSION_SECRET=${newSecret()}\n`);
  console.log("Created a development signing secret in .env.development.local (git-ignored).");
}

await prepareDatabase();

// DEV_OIDC_PROVIDER=1 npm run dev: a local OpenID provider (scripts/oidc-test-provider.mjs, "Tessera Test
// Provider") to try "Continue with …" without registering an app anywhere. It runs beside `next dev` on
// DEV_OIDC_PORT (3900) and stops with it (Ctrl-C reaches both); the app finds it through a marked block of OIDC_*
// lines in .env.development.local, written when asked for and removed when not, so no stale provider is left named.
const DEV_PROVIDER_BLOCK = /# >>> DEV_OIDC_PROVIDER[\s\S]*?# <<< DEV_OIDC_PROVIDER\n/;
const withoutBlock = () => (existsSync(envFile) ? readFileSync(envFile, "utf8").replace(DEV_PROVIDER_BLOCK, "") : "");
if (devProvider) {
  const { spawn } = await import("node:child_process");
  const { DEFAULT_NAME, DEV_CLIENT, DEV_USER } = await import("./oidc-test-provider.mjs");
  const port = Number(process.env.DEV_OIDC_PORT ?? 3900);
  const issuer = `http://localhost:${port}`;
  const child = spawn(process.execPath, [`${root}scripts/oidc-test-provider.mjs`], {
    env: { ...process.env, DEV_OIDC_PORT: String(port), APP_URL: process.env.APP_URL ?? "http://localhost:3000" },
    stdio: "ignore",
  });
  child.unref();
  // Ready when its discovery document answers; the app discovers it at start.
  for (let tries = 0; ; tries++) {
    const ready = await fetch(`${issuer}/.well-known/openid-configuration`).then((response) => response.ok, () => false);
    if (ready) break;
    if (tries > 50) throw new Error(`The development OpenID provider did not start on port ${port}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const block = [
    "# >>> DEV_OIDC_PROVIDER (written by scripts/dev-setup.mjs; removed when DEV_OIDC_PROVIDER is off)",
    `OIDC_ISSUER=${issuer}`,
    `OIDC_CLIENT_ID=${DEV_CLIENT.client_id}`,
    `OIDC_CLIENT_SECRET=${DEV_CLIENT.client_secret}`,
    `OIDC_NAME="${DEFAULT_NAME}"`,
    "# <<< DEV_OIDC_PROVIDER",
    "",
  ].join("\n");
  writeFileSync(envFile, withoutBlock() + block);
  console.log(`Development OpenID provider at ${issuer}: "Continue with ${DEFAULT_NAME}", then ${DEV_USER.email} / "${DEV_USER.password}".`);
} else if (DEV_PROVIDER_BLOCK.test(existsSync(envFile) ? readFileSync(envFile, "utf8") : "")) {
  writeFileSync(envFile, withoutBlock());
}
