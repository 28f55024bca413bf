// Reads Linux perf's samples of a Node.js server (`perf record -g -p <pid>`, then `perf script`) into where its CPU
// time went, by the same parts of the stack as an inspector profile (cpu-profile.mjs). Unlike the inspector's, these
// are CPU samples of every thread (the event loop, V8's garbage collection and compiler threads, libuv's pool), and
// taking them costs the server little: the inspector's own sampling slowed both of page-profile.mjs's servers to the
// same rate, so that Tessera and the empty middleware measured alike (ADR 0006). JavaScript frames have names only
// when the server runs with --perf-basic-prof-only-functions.
import { partOf, shortUrl } from "./cpu-profile.mjs";

const GC = /Scaveng|MarkCompact|Marking|Sweeper|Evacuat|Heap::CollectGarbage|MinorMC/;
const COMPILER = /compiler::|Compile|Maglev|baseline::|BytecodeGenerator|Parser::|Scanner::/;

/** One sample's stack, leaf first: [{ symbol, dso }]. */
function* stacks(script) {
  let stack = null;
  for (const line of script.split("\n")) {
    if (line === "" || !/^\s/.test(line)) {
      if (stack?.length) yield stack;
      stack = line === "" ? null : [];
      continue;
    }
    const frame = /^\s+[0-9a-f]+ (.*) \((.*)\)$/.exec(line);
    if (frame && stack) stack.push({ symbol: frame[1], dso: frame[2] });
  }
  if (stack?.length) yield stack;
}

/** A JavaScript frame's function name and script ("JS:*name /path/file.js:12:5"), or null for a native frame. */
function jsFrame(symbol) {
  const match = /^JS:[*~^+-]?(\S*) (.+?)(?::\d+:\d+)?$/.exec(symbol);
  return match ? { functionName: match[1], url: match[2] } : null;
}

/** Where one sample's CPU time goes: the nearest JavaScript frame's part, or what the native frames above it say. */
function sampleOf(stack) {
  if (stack.some(({ symbol }) => GC.test(symbol))) return { part: "garbage collection", frame: "(garbage collector)" };
  const jsIndex = stack.findIndex(({ symbol }) => symbol.startsWith("JS:"));
  const native = jsIndex < 0 ? stack : stack.slice(0, jsIndex);
  if (native.some(({ symbol }) => COMPILER.test(symbol))) return { part: "compiling JavaScript (V8)", frame: "(compiler)" };
  if (native.some(({ dso }) => dso.includes("better_sqlite3"))) return { part: "better-sqlite3 executing statements (native)", frame: "(SQLite)" };
  if (jsIndex < 0) {
    const kernel = stack.every(({ dso }) => dso.includes("kernel"));
    return { part: kernel ? "the kernel (sockets, scheduling)" : "V8 and native code outside JavaScript (program)", frame: `${stack[0].symbol} [${stack[0].dso}]` };
  }
  const js = jsFrame(stack[jsIndex].symbol);
  if (!js) return { part: "other", frame: stack[jsIndex].symbol };
  return { part: partOf(js.url, js.functionName), frame: `${js.functionName || "(anonymous)"} ${shortUrl(js.url)}` };
}

/**
 * { busyMs, parts: [{ name, ms, share }], frames: [{ name, ms, share }] } of `perf script` output (fields comm, tid,
 * ip, sym, dso) sampled at `hz`, as summarizeProfile() returns for an inspector profile: busyMs is CPU time.
 */
export function summarizePerfScript(script, { hz, top = 12 }) {
  const parts = new Map();
  const frames = new Map();
  let samples = 0;
  for (const stack of stacks(script)) {
    const { part, frame } = sampleOf(stack);
    samples++;
    parts.set(part, (parts.get(part) ?? 0) + 1);
    frames.set(frame, (frames.get(frame) ?? 0) + 1);
  }
  const msPerSample = 1000 / hz;
  const ranked = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .map(([name, count]) => ({ name, ms: count * msPerSample, share: count / samples }));
  return { busyMs: samples * msPerSample, parts: ranked(parts), frames: ranked(frames).slice(0, top) };
}
