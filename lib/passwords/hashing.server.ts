import "server-only";
// Password hashing: argon2id at OWASP's parameters, in libuv's thread pool (never on the event loop). The hash
// is a PHC string that carries its own parameters, so they can be raised later: a hash made with weaker ones
// is replaced at the owner's next sign-in (needsRehash).
import { availableParallelism } from "node:os";
import { hash, verify, parseOptions, type Options } from "@node-rs/argon2";
import { abuseLimits } from "../config";
import { TesseraError } from "../errors";

// `Algorithm` is a const enum that isolatedModules cannot import; 2 is Algorithm.Argon2id.
const ARGON2ID = 2;

/** OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1. */
export const PASSWORD_HASH_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const satisfies Options;

/**
 * At most as many hashes at once as there are CPU cores less one, which stays free for the event loop (one on a
 * single core); the rest wait their turn here, in order. Argon2 is pure CPU, and so is the rest of a sign-in
 * (Node's HTTP, Next.js, Prisma: the event loop spends about as long on the request as argon2 on the hash): more
 * hashes at once than cores to spare finish few more sign-ins, but they fill libuv's 4 threads (shared with file
 * system and DNS work) and crowd the event loop off the CPU, so every other request waits behind them. The
 * measurement behind this: docs/decisions/0006-benchmarks.md.
 */
export const MAX_CONCURRENT_HASHES = Math.max(1, availableParallelism() - 1);

/**
 * Every core to spare is hashing and the queue is full (PASSWORD_HASH_QUEUE_LIMIT): answered at once, with a
 * moment to wait, rather than queued without end while every other sign-in waits behind it.
 */
export class PasswordHasherBusyError extends TesseraError<"password-hasher-busy"> {
  static readonly code = "password-hasher-busy";
  override name = "PasswordHasherBusyError";
  readonly retryAfterSeconds = 1;
  constructor() {
    super(PasswordHasherBusyError.code, "Too many password checks are waiting; try again in a moment.");
  }
}

let hashing = 0;
const waiting: (() => void)[] = [];
let started = 0;

/** How many hashes this process has started (made or checked): what the attempt limits bound. */
export function hashesStarted(): number {
  return started;
}

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (hashing < MAX_CONCURRENT_HASHES) hashing++;
  else if (waiting.length >= abuseLimits().hashQueueLimit) throw new PasswordHasherBusyError();
  else await new Promise<void>((resolve) => waiting.push(resolve)); // the slot is handed over on release
  try {
    started++;
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else hashing--;
  }
}

export function hashPassword(password: string): Promise<string> {
  return withHashSlot(() => hash(password, PASSWORD_HASH_OPTIONS));
}

/**
 * False for a wrong password, for a stored value that is not a hash at all, and for an account with no password
 * (made through a provider): that one is checked against the dummy hash, so it costs what a wrong password costs.
 * Throws PasswordHasherBusyError.
 */
export function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) return verifyAgainstDummy(password);
  return withHashSlot(() => verify(passwordHash, password).catch(() => false));
}

export function needsRehash(passwordHash: string): boolean {
  try {
    const used = parseOptions(passwordHash);
    return (
      used.algorithm !== PASSWORD_HASH_OPTIONS.algorithm ||
      used.memoryCost < PASSWORD_HASH_OPTIONS.memoryCost ||
      used.timeCost < PASSWORD_HASH_OPTIONS.timeCost
    );
  } catch {
    return true;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies against a hash of a random password, at the current parameters: what sign-in does when no account
 * has the email, so that a missing account costs the same time as a wrong password.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(crypto.randomUUID());
  await verifyPassword(await dummyHash, password);
  return false;
}
