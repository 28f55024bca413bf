// `npm run keys:rotate` while a client keeps calling a resource server: no request fails, tokens signed before
// the rotation keep working, and signing moves to the new key once verifiers can have it. On a database of its
// own, so the shortened JWKS cache period (2 s instead of 600) touches no other test.
import { spawn } from "node:child_process";
import { createTestDatabase } from "../scripts/test-database.mjs";
import { startServer } from "./support/extra-server";
import { expect, test } from "./support/fixtures";
import { hiddenFields, postForm } from "./support/forms";
import { ORDERS, startResourceServer } from "./support/resource-server";
import { newEmail, PASSWORD } from "./support/users";

const kidOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()).kid as string;
const postJson = async (url: string, body: unknown) =>
  (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).json();

/** Runs `npm run keys:rotate` with these variables; resolves with its exit code and output. */
function rotateKeys(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn("npm", ["run", "-s", "keys:rotate"], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}

test("keys:rotate during a loop of requests: not one fails, and signing moves to the new key", { tag: "@db" }, async () => {
  test.setTimeout(120_000);
  const database = await createTestDatabase((process.env.DATABASE_URL ?? "").startsWith("postgres") ? "postgresql" : "sqlite");
  if (!database) throw new Error("no test database");
  const env = { DATABASE_URL: database.url, JWKS_CACHE_SECONDS: "2" };
  const app = await startServer(env);
  const orders = await startResourceServer(app.url, { audience: ORDERS, jwksCacheSeconds: 2 });
  try {
    const email = newEmail("rotation");
    await postForm(`${app.url}/sign-up`, { email, password: PASSWORD }, { hidden: await hiddenFields(`${app.url}/sign-up`) });
    const first = await postJson(`${app.url}/api/auth/token`, { email, password: PASSWORD, resource: ORDERS });
    const oldToken: string = first.access_token;
    const oldKid = kidOf(oldToken);
    let refreshToken: string = first.refresh_token;

    const failures: string[] = [];
    // Set by the rotation when it exits (a closure's assignment: kept in an object so the loop reads it afresh).
    const done: { rotation?: { code: number | null; output: string } } = {};
    let rounds = 0;
    let roundsOnNewKey = 0;
    let rotating: Promise<void> | null = null;
    // Until the rotation has finished and 20 rounds have run on the new key: every round a fresh token (refreshed)
    // and the one from before the rotation, on both routes.
    while (roundsOnNewKey < 20 && !(done.rotation && done.rotation.code !== 0)) {
      rounds += 1;
      if (rounds === 5) rotating = rotateKeys(env).then((result) => void (done.rotation = result));
      const pair = await postJson(`${app.url}/api/auth/refresh`, { refresh_token: refreshToken, resource: ORDERS });
      if (typeof pair.access_token !== "string") {
        failures.push(`refresh: ${JSON.stringify(pair)}`, app.output().slice(-3000));
        break;
      }
      refreshToken = pair.refresh_token;
      for (const token of [pair.access_token as string, oldToken]) {
        for (const path of ["/whoami", "/payouts"]) {
          const response = await fetch(`${orders.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
          if (response.status !== 200) failures.push(`${path} with key ${kidOf(token)}: ${response.status} ${await response.text()}`);
        }
      }
      if (kidOf(pair.access_token) !== oldKid) roundsOnNewKey += 1;
    }
    await rotating;
    expect(done.rotation?.code, done.rotation?.output).toBe(0);
    expect(failures).toEqual([]);
    expect(roundsOnNewKey).toBe(20);
    const { keys } = await (await fetch(`${app.url}/.well-known/jwks.json`)).json();
    // The old key stays published: tokens it signed are still within their 15 minutes.
    expect(keys.map((key: { kid: string }) => key.kid)).toContain(oldKid);
    expect(keys).toHaveLength(2);
  } finally {
    await orders.stop();
    await app.stop();
    await database.drop();
  }
});
