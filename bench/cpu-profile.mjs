// Reads an inspector CPU profile (.cpuprofile, what server-probe.mjs writes) into where the main thread's busy time
// went: self time by part of the stack (Next.js, React, Prisma, better-sqlite3, Node's own, ...) and the frames
// with the most self time. Idle time is left out; "busy" is everything else. The profiler samples wall time: a
// statement waiting for its fsync, or a thread the machine's load kept off the CPU, counts as busy where it
// stopped, so read the shares, and take CPU time from the server's /proc figures.
// React's server renderer is bundled inside Next.js's runtime (next/dist/compiled/next-server/*.runtime.prod.js),
// so rendering counts as Next.js.
import { root } from "../scripts/lib.mjs";

/** The part of the stack a script belongs to, from its URL (file path) and function name. */
export function partOf(url, functionName) {
  if (functionName === "(garbage collector)") return "garbage collection";
  if (functionName === "(program)") return "V8 and native code outside JavaScript (program)";
  if (url === "" && /^(Verify|Hash)Task$/.test(functionName)) return "argon2 (handing the hash to its thread)";
  if (url.startsWith("wasm://") || /query_compiler|query-compiler/.test(url)) return "Prisma query compiler (WebAssembly)";
  if (/\/node_modules\/better-sqlite3\//.test(url)) return "better-sqlite3";
  if (/\/node_modules\/@prisma\/adapter-better-sqlite3\//.test(url)) return "Prisma's SQLite adapter";
  if (/\/node_modules\/(@prisma\/|prisma\/)|\/lib\/db\/generated\//.test(url)) return "Prisma client";
  if (/\/node_modules\/next\/dist\/compiled\/(react|react-dom|react-server-dom[^/]*|scheduler)\//.test(url)) return "React";
  if (/\/node_modules\/next\/dist\/(compiled\/edge-runtime|server\/web\/)|\/node_modules\/next\/dist\/compiled\/@edge-runtime\//.test(url)) return "Next.js edge runtime (middleware's sandbox)";
  if (/\/node_modules\/next\//.test(url)) return "Next.js";
  if (/\/\.next[^/]*\/server\/(edge|middleware|src\/middleware)/.test(url)) return "middleware (the app's, bundled)";
  if (/\/\.next[^/]*\/server\//.test(url)) return "the app's server bundle (app/, lib/, jose)";
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith("node:") || /^(internal|node)\b/.test(url) || url === "") return "Node.js (HTTP, streams, timers, async bookkeeping)";
  return "other";
}

export const shortUrl = (url) => url.replace(`file://${root}`, "").replace(root, "").replace(/^.*\/node_modules\//, "");

/** { busyMs, parts: [{ name, ms, share }], frames: [{ name, ms, share }] } of one profile, largest first. */
export function summarizeProfile(profile, { top = 12 } = {}) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  // A native function (no URL: a better-sqlite3 statement's run, a hash's binding) counts where it was called
  // from, except that statements better-sqlite3 executes are its own part, wherever Prisma called them.
  const partCache = new Map();
  const part = (id) => {
    if (partCache.has(id)) return partCache.get(id);
    const { callFrame } = nodes.get(id);
    let name;
    if (callFrame.url || callFrame.functionName.startsWith("(") || /^(Verify|Hash)Task$/.test(callFrame.functionName)) {
      name = partOf(callFrame.url, callFrame.functionName);
    }
    else {
      const up = parent.get(id);
      const above = up === undefined ? "Node.js (HTTP, streams, timers, async bookkeeping)" : part(up);
      name = /SQLite adapter|better-sqlite3/.test(above) ? "better-sqlite3 executing statements (native)" : above;
    }
    partCache.set(id, name);
    return name;
  };
  const selfMs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    selfMs.set(profile.samples[i], (selfMs.get(profile.samples[i]) ?? 0) + ms);
  }
  const parts = new Map();
  const frames = new Map();
  let busyMs = 0;
  for (const [id, ms] of selfMs) {
    const { callFrame } = nodes.get(id);
    if (callFrame.functionName === "(idle)") continue;
    busyMs += ms;
    const name = part(id);
    parts.set(name, (parts.get(name) ?? 0) + ms);
    const frame = `${callFrame.functionName || "(anonymous)"} ${callFrame.url ? `${shortUrl(callFrame.url)}:${callFrame.lineNumber + 1}` : `[${name}]`}`;
    frames.set(frame, (frames.get(frame) ?? 0) + ms);
  }
  const ranked = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .map(([name, ms]) => ({ name, ms, share: ms / busyMs }));
  return { busyMs, parts: ranked(parts), frames: ranked(frames).slice(0, top) };
}
