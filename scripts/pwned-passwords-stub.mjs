// A stand-in for the Pwned Passwords range API (GET <url>/<first five hex of SHA-1>) for the tests and the bench,
// so that none of them reaches the network: a handful of known passwords with their counts, each answer padded
// with count-0 lines as `Add-Padding: true` asks, and every request it received recorded (path and headers) so a
// test can prove what left the app. Its behaviour can be switched to slow, 500 or garbage to exercise failing open.
// scripts/e2e.mjs runs one for the end-to-end suite (PWNED_PASSWORDS_URL), bench/server.mjs one per bench server;
// test/integration/breached-passwords.test.ts starts its own.
import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";

/** Passwords the stub knows as breached, with their counts. Each is long enough for the policy and not common. */
export const BREACHED_PASSWORDS = {
  "tessera breached passphrase": 3861,
  "seen once in a breach somewhere": 1,
  "a passphrase everybody leaked": 1234567,
};

/** Passwords whose suffix is in the answer only as a padding line (count 0): not breached. */
export const PADDED_PASSWORDS = ["only ever seen as padding"];

const PADDING_LINES = 40;

export function sha1Hex(password) {
  return createHash("sha1").update(password, "utf8").digest("hex").toUpperCase();
}

/** The lines the stub answers for a prefix: known suffixes, padded suffixes at 0, random padding, shuffled. */
function rangeLines(prefix, corpus, padded) {
  const lines = [];
  for (const [password, count] of Object.entries(corpus)) {
    const hash = sha1Hex(password);
    if (hash.startsWith(prefix)) lines.push(`${hash.slice(5)}:${count}`);
  }
  for (const password of padded) {
    const hash = sha1Hex(password);
    if (hash.startsWith(prefix)) lines.push(`${hash.slice(5)}:0`);
  }
  for (let i = 0; i < PADDING_LINES; i++) lines.push(`${randomBytes(18).toString("hex").slice(0, 35).toUpperCase()}:0`);
  return lines.sort(() => Math.random() - 0.5);
}

/**
 * Starts the stub on 127.0.0.1 (`port` 0, the default: any free one). Resolves to { port, url, requests, behave(),
 * stop() }; `url` is the range endpoint, for PWNED_PASSWORDS_URL.
 */
export async function startPwnedPasswordsStub({ port = 0, corpus = BREACHED_PASSWORDS, padded = PADDED_PASSWORDS } = {}) {
  const requests = [];
  let behaviour = { kind: "ok" };
  // Answers a "held" stub owes, given when release() is called.
  const held = [];
  const server = createServer((request, response) => {
    requests.push({ method: request.method, path: request.url, headers: { ...request.headers } });
    const match = /^\/range\/([0-9A-F]{5})$/.exec(request.url ?? "");
    if (request.method !== "GET" || !match) {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found");
      return;
    }
    const answer = () => {
      if (behaviour.kind === "error") return response.writeHead(500, { "content-type": "text/plain" }).end("Internal error");
      if (behaviour.kind === "garbage") return response.writeHead(200, { "content-type": "text/html" }).end("<html><body>Oops</body></html>");
      if (behaviour.kind === "huge") {
        // A well-formed range, 2 MB of zero-count lines after it: far more than any real answer.
        const filler = `\r\n${"0".repeat(35)}:0`.repeat(50_000);
        return response.writeHead(200, { "content-type": "text/plain" }).end(rangeLines(match[1], corpus, padded).join("\r\n") + filler);
      }
      response.writeHead(200, { "content-type": "text/plain" }).end(rangeLines(match[1], corpus, padded).join("\r\n"));
    };
    if (behaviour.kind === "slow") setTimeout(answer, behaviour.delayMs).unref();
    else if (behaviour.kind === "held") held.push(answer);
    else answer();
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  // Never what keeps a process alive: a harness that fails before stop() still exits.
  server.unref();
  const actualPort = server.address().port;
  return {
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}/range`,
    requests,
    /**
     * "ok" (the default), "error" (500), "garbage" (200 with HTML), "huge" (a range padded to 2 MB), "slow" (answers
     * after `delayMs`) or "held" (answers when release() is called: a test orders events without racing a clock).
     */
    behave(kind, { delayMs = 5_000 } = {}) {
      behaviour = { kind, delayMs };
    },
    /** Answers every request "held" kept waiting, and answers at once from now on. */
    release() {
      behaviour = { kind: "ok" };
      for (const answer of held.splice(0)) answer();
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
