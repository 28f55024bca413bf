import "server-only";
// Start-up's half of lib/http/prerendered-pages.ts: the SHA-256 of each prerendered page's inline scripts, read
// from the HTML that `next build` wrote, handed to middleware through the environment (edge middleware reads no
// files). A page whose HTML is not found, or that this server would render otherwise (the sign-in page where
// providers are configured), stays rendered per request with its nonce.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { providersConfig } from "../config/providers";
import { SIGN_IN_PATH } from "../routes";
import { PRERENDERED_HASHES_ENV, PRERENDERED_ROUTES } from "./prerendered-pages";

/** A script element without `src`, and its text: what a browser hashes to check it against the policy. */
const INLINE_SCRIPT = /<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g;

/** The CSP hash sources ("sha256-…") of a page's inline scripts, in the order they appear. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = [...html.matchAll(INLINE_SCRIPT)].map(([, text]) => `sha256-${createHash("sha256").update(text!, "utf8").digest("base64")}`);
  return [...new Set(hashes)];
}

/**
 * Whether this server would render the route's page as the build prerendered it. The sign-in page was built without
 * provider buttons: a server with providers shows theirs, so it renders /sign-in per request.
 */
function rendersAsBuilt(route: string): boolean {
  return route !== PRERENDERED_ROUTES[SIGN_IN_PATH] || providersConfig().providers.length === 0;
}

/**
 * Each prerendered route's hashes, from the build in `buildDir`; a route whose HTML is missing, or that this server
 * renders otherwise, is left out.
 */
export function prerenderedScriptHashes(buildDir: string): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const route of Object.values(PRERENDERED_ROUTES)) {
    if (!rendersAsBuilt(route)) continue;
    let html;
    try {
      html = readFileSync(join(buildDir, "server", "app", `${route}.html`), "utf8");
    } catch {
      continue;
    }
    found[route] = inlineScriptHashes(html);
  }
  return found;
}

/**
 * Reads the hashes of the build this server runs and hands them to middleware. The build's folder is the one
 * next.config.mjs built into (TESSERA_BUILD_DIR, fixed at build time), so a server never takes another build's
 * hashes: a build moved elsewhere finds none, and its pages render per request.
 */
export function installPrerenderedScriptHashes(buildDir: string | undefined = process.env.TESSERA_BUILD_DIR): void {
  if (!buildDir) return;
  process.env[PRERENDERED_HASHES_ENV] = JSON.stringify(prerenderedScriptHashes(buildDir));
}
