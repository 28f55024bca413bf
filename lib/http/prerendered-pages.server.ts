import "server-only";
// Start-up's half of lib/http/prerendered-pages.ts: the SHA-256 of each prerendered page's inline scripts, read
// from the HTML that `next build` wrote, handed to middleware through the environment (edge middleware reads no
// files). A page whose HTML is not found stays rendered per request with its nonce.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PRERENDERED_HASHES_ENV, PRERENDERED_ROUTES } from "./prerendered-pages";

/** A script element without `src`, and its text: what a browser hashes to check it against the policy. */
const INLINE_SCRIPT = /<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g;

/** The CSP hash sources ("sha256-…") of a page's inline scripts, in the order they appear. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = [...html.matchAll(INLINE_SCRIPT)].map(([, text]) => `sha256-${createHash("sha256").update(text!, "utf8").digest("base64")}`);
  return [...new Set(hashes)];
}

/** Each prerendered route's hashes, from the build in `buildDir`; a route whose HTML is missing is left out. */
export function prerenderedScriptHashes(buildDir: string): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const route of Object.values(PRERENDERED_ROUTES)) {
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
