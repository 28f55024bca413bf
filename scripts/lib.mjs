// Small helpers shared by the project's scripts.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Runs a command in the project root; rejects when it fails. `quiet` holds its output back and prints it only
 * if the command fails.
 */
export function run(command, args, { env = process.env, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { NEXT_TELEMETRY_DISABLED: "1", ...env },
      stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) return resolve();
      if (quiet) process.stderr.write(output);
      reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

export const bin = (name) => `${root}node_modules/.bin/${name}`;

/** 256 random bits, base64: the form SESSION_SECRET takes. */
export function newSecret() {
  return randomBytes(32).toString("base64");
}

/** Whether nothing holds `port` on 127.0.0.1 right now. */
export function isFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * A free port of the block [start, start + size), trying from `start + from` on: for a server that binds it only
 * seconds later. A port asked of the OS (freePort) is free only until closed, and the OS hands the same range
 * (32768 and up) to every listen(0) and outgoing connection on the machine; a block below it, one per user, is not
 * taken meanwhile.
 */
export async function freePortInBlock(start, size, from = 0) {
  for (let tried = 0; tried < size; tried++) {
    const port = start + ((from + tried) % size);
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port in ${start}-${start + size - 1}`);
}

/** A TCP port nobody is listening on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
