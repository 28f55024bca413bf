// A real SMTP server for the tests (the `smtp-server` package): listens on 127.0.0.1, accepts any sender and
// recipient, with or without credentials, no TLS, and writes each message it receives, as it received it, to a
// `.eml` file in `dir`. Files appear whole (written aside, then renamed), named by arrival:
// `<milliseconds since the epoch>-<sequence>.eml`, so sorting the names sorts by arrival.
// scripts/e2e.mjs runs one for the end-to-end suite; test/integration/outbox.test.ts starts and stops its own.
// Read what arrived with e2e/support/mailbox.ts.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";

let sequence = 0;

/**
 * Starts the sink on `port` (0, the default: any free port; give the port of a stopped sink to start it again
 * where the app expects it). Resolves to { port, url: "smtp://127.0.0.1:PORT", stop() }.
 */
export async function startMailSink({ dir, port = 0 }) {
  mkdirSync(dir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    // Accept any credentials: the app's SMTP_URL may carry some, as a real one would.
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? "anyone" }),
    onData(stream, _session, callback) {
      const chunks = [];
      stream.on("data", (chunk) => chunks.push(chunk));
      stream.on("error", callback);
      stream.on("end", () => {
        try {
          const name = `${Date.now()}-${String(sequence++).padStart(6, "0")}`;
          writeFileSync(join(dir, `${name}.tmp`), Buffer.concat(chunks));
          renameSync(join(dir, `${name}.tmp`), join(dir, `${name}.eml`));
          callback(null, `Queued as ${name}`);
        } catch (error) {
          callback(error);
        }
      });
    },
    logger: false,
    // Connections left open when stop() is called are cut after this long.
    closeTimeout: 1_000,
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actualPort = server.server.address().port;
  return {
    port: actualPort,
    url: `smtp://127.0.0.1:${actualPort}`,
    /** Closes the port; resolves once every connection has ended. */
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
