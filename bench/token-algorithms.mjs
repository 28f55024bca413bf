// Which signature algorithm should session tokens use? Verification runs on every request, so this measures
// jose's jwtVerify per call for HS256, ES256 and EdDSA on the same claims, interleaved (A B C A B C ...) so that
// machine noise hits all three alike; median of the rounds. Run: node bench/token-algorithms.mjs
import { SignJWT, jwtVerify, generateKeyPair } from "jose";
import { performance } from "node:perf_hooks";

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const CALLS = Number(process.env.CALLS ?? 5000);
const claims = { sub: "3f0c6a4e-3b1c-4f3e-9d55-0c2d1f7c8e21", jti: "q3Zr1vXb0mP8sKcL2wYt9A" };
const options = { issuer: "tessera", audience: "tessera" };

async function hmacKeys(imported) {
  const secret = crypto.getRandomValues(new Uint8Array(32));
  if (!imported) return { sign: secret, verify: secret };
  const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  return { sign: key, verify: key };
}

async function candidate(name) {
  const alg = name.startsWith("HS256") ? "HS256" : name;
  const keys = alg === "HS256"
    ? await hmacKeys(name === "HS256")
    : await generateKeyPair(alg).then(({ privateKey, publicKey }) => ({ sign: privateKey, verify: publicKey }));
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg, typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime("7d")
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .sign(keys.sign);
  const verifyOptions = { ...options, algorithms: [alg], typ: "JWT" };
  return { alg: name, token, verify: () => jwtVerify(token, keys.verify, verifyOptions) };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// "HS256" verifies with a CryptoKey imported once, as lib/tokens/jwt.ts does; "HS256 (raw secret)" hands jose
// the bytes on every call, which makes it import the key each time.
const candidates = await Promise.all(["HS256", "HS256 (raw secret)", "ES256", "EdDSA"].map(candidate));
for (const c of candidates) for (let i = 0; i < 500; i++) await c.verify(); // warm-up
const samples = Object.fromEntries(candidates.map((c) => [c.alg, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const c of candidates) {
    const start = performance.now();
    for (let i = 0; i < CALLS; i++) await c.verify();
    samples[c.alg].push(((performance.now() - start) * 1000) / CALLS);
  }
}

const hs = median(samples.HS256);
console.log(`jose jwtVerify per call, median of ${ROUNDS} interleaved rounds of ${CALLS} (Node ${process.version})`);
console.log("| algorithm | µs per verify | vs HS256 | token bytes |");
console.log("| --- | ---: | ---: | ---: |");
for (const c of candidates) {
  const us = median(samples[c.alg]);
  console.log(`| ${c.alg} | ${us.toFixed(1)} | ${(us / hs).toFixed(2)}x | ${c.token.length} |`);
}
