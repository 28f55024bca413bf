// A second production server with its own environment, for what the main one cannot show: a missing secret, a
// database out of reach. It shares the suite's database, and so the outbox, unless told otherwise; it sends no
// mail (no SMTP_URL) unless told to, so that the suite's server delivers everything, its own and this one's, at
// once or at its next poll. A story's server that sent mail claimed other stories' mail too, and once stopped
// mid-pass, holding a five-minute lease on a mail another story waited 10 s for.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, createWriteStream, mkdirSync } from "node:fs";
import { freePortInBlock } from "../../scripts/lib.mjs";
import { join } from "node:path";
import { test } from "@playwright/test";

export interface ExtraServer {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

// Ports for the servers stories start: a block per Playwright worker (scripts/lib.mjs's freePortInBlock), above the
// main server's (scripts/e2e.mjs). Another worker once drew the same port from the OS in the second before this
// worker's `next start` bound it, and its health check then reached the other worker's server.
const PORT_BLOCK_START = 20_000;
const PORTS_PER_WORKER = 500;
let portsDrawn = 0;

/** The next port of this worker's block that nothing else on the machine holds. */
export async function freePort(): Promise<number> {
  const workerBlock = PORT_BLOCK_START + Number(process.env.TEST_PARALLEL_INDEX ?? 0) * PORTS_PER_WORKER;
  const port = await freePortInBlock(workerBlock, PORTS_PER_WORKER, portsDrawn);
  portsDrawn = port - workerBlock + 1;
  return port;
}

/**
 * A file for the server's output when the run keeps logs (E2E_LOG_DIR, set by scripts/e2e.mjs), named after the
 * spec and port and headed with the test and the settings it changed (names only: some are secrets).
 */
function logFileFor(env: Record<string, string | undefined>, port: number): string | undefined {
  const dir = process.env.E2E_LOG_DIR;
  if (!dir) return undefined;
  let title = "(outside a test)";
  try {
    title = test.info().titlePath.join(" › ");
  } catch {
    // Called outside a test or hook: the header says so.
  }
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${title.split(" › ")[0]!.replace(/[^\w.-]+/g, "_")}-${port}.log`);
  appendFileSync(file, `# ${title}\n# changed: ${Object.keys(env).join(", ") || "nothing"}\n`);
  return file;
}

function launch(env: Record<string, string | undefined>, port: number): { child: ChildProcess; output: () => string; logFile?: string } {
  const child = spawn("node_modules/.bin/next", ["start", "--port", String(port)], {
    // Links in its mail point at itself, unless the test says otherwise (APP_URL: undefined to see it refuse).
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", APP_URL: `http://localhost:${port}`, SMTP_URL: undefined, ...env } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Kept in memory for the test to read, and in a file for the person reading a failure.
  const logFile = logFileFor(env, port);
  const log = logFile ? createWriteStream(logFile, { flags: "a" }) : undefined;
  let text = "";
  const keep = (chunk: Buffer) => {
    text += chunk;
    log?.write(chunk);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.once("exit", () => log?.end());
  return { child, output: () => text, logFile };
}

/** Starts `next start` with these variables changed and waits until it answers. */
export async function startServer(env: Record<string, string | undefined>): Promise<ExtraServer> {
  const port = await freePort();
  const { child, output, logFile } = launch(env, port);
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 30_000;
  const where = logFile ? ` (its log: ${logFile})` : "";
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early${where}:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`server did not answer${where}:\n${output()}`);
    const up = await fetch(`${url}/`).then(
      () => true,
      () => false,
    );
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        // Next.js shuts down gracefully on SIGTERM; once (on PostgreSQL, a loaded CI run) it was still waiting
        // 40 s later and the story timed out in its `finally`. A test server gets 10 s, then SIGKILL.
        const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

/** Starts `next start` expecting it to refuse: resolves with its exit code and output. */
export async function startServerExpectingFailure(
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; output: string }> {
  const { child, output } = launch(env, await freePort());
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, output: output() };
}
