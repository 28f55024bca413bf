// What each piece of a sign-in's database work costs the process, measured in-process on a fresh SQLite file: CPU
// time (all threads, process.cpuUsage) and wall time per call, over many calls after a warm-up. Figure 12 says
// how much CPU a sign-in spends beyond the hash; this says which statements it goes to, one piece at a time, without
// HTTP, Next.js or the hash around them. The floor's insert (createSession) is the reference: the pieces above it
// are what the real sign-in adds.
//
//   node bench/sign-in-statements.mjs [--calls=1000]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newSecret } from "../scripts/lib.mjs";
import { prepareDatabase } from "../scripts/prepare-db.mjs";
import { loadSignInParts } from "./project.mjs";

const PASSWORD = "correct horse battery staple";
const calls = Number(process.argv.find((arg) => arg.startsWith("--calls="))?.slice(8) ?? 1000);
const dir = mkdtempSync(join(tmpdir(), "tessera-statements-"));
Object.assign(process.env, { DATABASE_URL: `file:${join(dir, "bench.db")}`, SESSION_SECRET: newSecret(), BREACHED_PASSWORDS: "offline" });
try {
  await prepareDatabase(process.env);
  const lib = await loadSignInParts();
  const user = await lib.createUser(`statements-${process.pid}@example.com`, PASSWORD);
  const { passwordHash } = await lib.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
  const client = { userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0", ipPrefix: "203.0.113.0/24" };
  const account = lib.throttleKey({ scope: "account", max: 1e9, windowSeconds: 900 }, user.email);
  const address = lib.throttleKey({ scope: "address", max: 1e9, windowSeconds: 900 }, "203.0.113.7");
  const pieces = {
    "floor: the session and its event (createSession)": () => lib.createSession({ userId: user.id, kind: "browser", client }),
    "throttle: count two keys, then clear one and uncount the other": async () => {
      await lib.countAttempt([account, address]);
      await lib.settleAttempts({ cleared: [account], uncounted: [address] });
    },
    "the user read by email": () => lib.db.user.findUnique({ where: { email: user.email }, select: { id: true, passwordHash: true } }),
    "second factor? (hasTotp)": () => lib.hasTotp(user.id),
    "openSession: the floor's insert in a transaction, with the new-sign-in check": () => lib.openSession({ userId: user.id, kind: "browser", client }),
    "after the answer: the breached-password note (offline)": () => lib.notePasswordIfBreached({ id: user.id, passwordHash, passwordBreachedAt: null }, PASSWORD),
    // The two ends of figure 12 without HTTP or Next.js: the floor's work, and the sign-in as every caller runs it.
    "the floor whole: the user read, the hash, createSession": async () => {
      const found = await lib.db.user.findUnique({ where: { email: user.email }, select: { id: true, passwordHash: true } });
      await lib.verifyPassword(found.passwordHash, PASSWORD);
      await lib.createSession({ userId: user.id, kind: "browser", client });
    },
    "the sign-in whole: signIn() for a password, then openSession": async () => {
      let breachNote;
      const answer = await lib.signIn({
        factor: { kind: "password", email: user.email, password: PASSWORD },
        address: "203.0.113.7",
        userAgent: client.userAgent,
        afterResponse: (task) => void (breachNote = task()),
      });
      if (answer.outcome !== "session") throw new Error(`the sign-in answered ${answer.outcome}`);
      await lib.openSession({ userId: answer.user.id, kind: "browser", client, passwordHash: answer.user.passwordHash });
      await breachNote;
    },
  };
  console.log(`${calls} calls each after ${calls / 10} of warm-up, one account (its sign-in history grows as it goes)`);
  for (const [label, piece] of Object.entries(pieces)) {
    for (let i = 0; i < calls / 10; i++) await piece();
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < calls; i++) await piece();
    const used = process.cpuUsage(cpu);
    const perCall = (ms) => `${ms.toFixed(3)} ms`;
    console.log(`${perCall((used.user + used.system) / 1000 / calls)} CPU, ${perCall((performance.now() - start) / calls)} wall: ${label}`);
  }
  await lib.db.$disconnect();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
