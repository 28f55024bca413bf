// lib/*.server.ts start with `import "server-only"`, which throws anywhere but a React Server environment. The test
// runner and its workers resolve that one package as such an environment does (its "react-server" export is an
// empty module), so fixtures can call lib/. Next.js's own entry points (`next/headers`) are files without an
// exports map, which Node's ESM resolver finds only by their full name. Every other import resolves as before.
// Registered in playwright.config.ts; Vitest does the same with an alias (vitest.config.ts).
export function resolve(specifier, context, nextResolve) {
  if (/^next\/[\w-]+$/.test(specifier)) return nextResolve(`${specifier}.js`, context);
  if (specifier !== "server-only") return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, "react-server"] });
}
