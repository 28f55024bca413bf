import "server-only";
// The Pwned Passwords range API by k-anonymity: only the first five hex characters of the password's SHA-1 leave
// the process; the suffixes that share them come back and are compared here. Padding (lines with count 0) keeps
// the answer's size from telling which prefix was asked.
import { createHash } from "node:crypto";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";

/** The SHA-1 of a password in upper-case hex, cut where the API cuts it. */
export interface RangeKey {
  prefix: string;
  suffix: string;
}

/** Suffix → times seen, padding left out. */
export type RangeCounts = ReadonlyMap<string, number>;

export type RangeAnswer = { ok: true; counts: RangeCounts } | { ok: false; problem: string };

const PREFIX_LENGTH = 5;
const LINE = /^([0-9A-F]{35}):(\d+)$/;
// Names the app to the service's operators, as its terms ask; no version, nothing about the deployment.
const USER_AGENT = "Tessera (breached-password check)";

export function rangeKeyOf(password: string): RangeKey {
  const hex = createHash("sha1").update(password, "utf8").digest("hex").toUpperCase();
  return { prefix: hex.slice(0, PREFIX_LENGTH), suffix: hex.slice(PREFIX_LENGTH) };
}

/** Reads an answer body; null when any line is not `SUFFIX:COUNT` (an error page, a proxy's HTML…). */
export function parseRange(body: string): RangeCounts | null {
  const counts = new Map<string, number>();
  for (const raw of body.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    const match = LINE.exec(line.toUpperCase());
    if (!match) return null;
    const count = Number(match[2]);
    if (count > 0) counts.set(match[1]!, count);
  }
  return counts;
}

/** One range request. Never throws: a slow, failing or nonsensical service is a problem described in words. */
export async function fetchRange(rangeUrl: string, prefix: string, timeoutMs: number): Promise<RangeAnswer> {
  if (!/^[0-9A-F]{5}$/.test(prefix)) throw new Error("a range prefix is five upper-case hex characters");
  let answer: { status: number; body: string };
  try {
    answer = await getText(new URL(`${rangeUrl}/${prefix}`), AbortSignal.timeout(timeoutMs));
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    return { ok: false, problem: timedOut ? `no answer within ${timeoutMs} ms` : `unreachable or cut short (${describe(error)})` };
  }
  if (answer.status !== 200) return { ok: false, problem: `answered ${answer.status}` };
  const counts = parseRange(answer.body);
  return counts ? { ok: true, counts } : { ok: false, problem: "answered something that is not a range" };
}

// A real answer is about 30 KB with padding: anything far larger is not one.
const MAX_BODY_BYTES = 1 << 20;

/**
 * A GET with node:http(s) rather than fetch, which (undici, patched by Next.js for its data cache) cost a sign-up a
 * quarter of its rate against a local stub: docs/decisions/0016-breached-passwords.md. Redirects are not
 * followed; the signal bounds it all.
 */
function getText(url: URL, signal: AbortSignal): Promise<{ status: number; body: string }> {
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // A timeout says so, whether it struck before the answer or in the middle of its body.
    const fail = (error: unknown) => reject(signal.aborted ? signal.reason : error);
    const onResponse = (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) response.destroy(new Error(`an answer over ${MAX_BODY_BYTES} bytes`));
        else chunks.push(chunk);
      });
      response.on("error", fail);
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    };
    request(url, { headers: { "Add-Padding": "true", "User-Agent": USER_AGENT }, signal }, onResponse).on("error", fail).end();
  });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
