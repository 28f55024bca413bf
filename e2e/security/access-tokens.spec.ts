// Access tokens forged against the asymmetric key, sent over HTTP to the example resource server (both its routes)
// and to the app's own API. Each names the live session of a real person, so it is refused for its one defect.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { calculateJwkThumbprint, exportJWK, exportSPKI, generateKeyPair, importJWK, type JWK } from "jose";
import { keyring } from "../../lib/keys/keyring.server";
import { signRaw, signRawWithKey } from "../../test/support/forge";
import { malleatedSignature } from "../../test/support/spellings";
import { expect, test } from "../support/fixtures";
import { basic, introspect, ORDERS, secretOf, startResourceServer, tokensFor, type ResourceServer } from "../support/resource-server";
import { baseURL } from "../support/server";
import { claimsFor, serverSessionConfig, signedToken } from "../support/session";

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as Uint8Array<ArrayBuffer>;
const text = (value: string) => new TextEncoder().encode(value) as Uint8Array<ArrayBuffer>;

/** A server an attacker points jku and x5u at: it counts every request, and serves the attacker's key. */
function attackerKeyServer(jwks: unknown): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((_request, response) => {
    hits += 1;
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
        hits: () => hits,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    ),
  );
}

test.describe("A forged access token", () => {
  let orders: ResourceServer;
  let realJwk: JWK;
  let attacker: { privateKey: CryptoKey; jwk: JWK; kid: string };
  let keyServer: Awaited<ReturnType<typeof attackerKeyServer>>;

  test.beforeAll(async () => {
    orders = await startResourceServer(baseURL, { audience: ORDERS });
    const { keys } = (await (await fetch(`${baseURL}/.well-known/jwks.json`)).json()) as { keys: JWK[] };
    realJwk = keys[0]!;
    const pair = await generateKeyPair("ES256", { extractable: true });
    const jwk = await exportJWK(pair.publicKey);
    attacker = { privateKey: pair.privateKey, jwk, kid: await calculateJwkThumbprint(jwk) };
    keyServer = await attackerKeyServer({ keys: [{ ...jwk, kid: attacker.kid, alg: "ES256", use: "sig" }] });
  });
  test.afterAll(async () => {
    await orders?.stop();
    await keyServer?.close();
  });

  const { signingSecret } = serverSessionConfig();
  const asAttacker = (header: Record<string, unknown>, claims: Record<string, unknown>) =>
    signRawWithKey({ alg: "ES256", typ: "at+jwt", ...header }, JSON.stringify(claims), attacker.privateKey);
  /** HMAC with `secret`, under a header that names the real key. */
  const hmac = (alg: string, claims: Record<string, unknown>, secret: Uint8Array<ArrayBuffer>) =>
    signRaw({ alg, typ: "at+jwt", kid: realJwk.kid }, JSON.stringify(claims), secret);
  const publicKeySpki = async () => exportSPKI((await importJWK(realJwk, "ES256", { extractable: true })) as CryptoKey);

  const attacks: [string, (claims: Record<string, unknown>) => Promise<string>][] = [
    ["signed with the HMAC secret but labelled ES256", (claims) => hmac("ES256", claims, signingSecret)],
    ["signed with the HMAC secret but labelled RS256", (claims) => hmac("RS256", claims, signingSecret)],
    ["HS256 with the public key's JWK as the secret (algorithm confusion)", (claims) => hmac("HS256", claims, json(realJwk))],
    ["HS256 with the public key's PEM as the secret (algorithm confusion)", async (claims) => hmac("HS256", claims, text(await publicKeySpki()))],
    ["HS256 with the public key's point as the secret (algorithm confusion)", (claims) =>
      hmac("HS256", claims, Uint8Array.from(Buffer.concat([Buffer.from([4]), Buffer.from(realJwk.x!, "base64url"), Buffer.from(realJwk.y!, "base64url")])))],
    ["an unknown kid", (claims) => asAttacker({ kid: attacker.kid }, claims)],
    ["the real kid, signed by another key", (claims) => asAttacker({ kid: realJwk.kid }, claims)],
    ["an embedded jwk", (claims) => asAttacker({ kid: attacker.kid, jwk: attacker.jwk }, claims)],
    ["an embedded jwk under the real kid", (claims) => asAttacker({ kid: realJwk.kid, jwk: attacker.jwk }, claims)],
    ["a jku to the attacker's key set", (claims) => asAttacker({ kid: attacker.kid, jku: keyServer.url }, claims)],
    ["an x5u to the attacker's server", (claims) => asAttacker({ kid: attacker.kid, x5u: keyServer.url }, claims)],
    ["the real key, but typ JWT (a cookie's)", async (claims) => {
      const key = (await keyring()).signing();
      return signRawWithKey({ alg: key.alg, kid: key.kid, typ: "JWT" }, JSON.stringify(claims), await key.privateKey());
    }],
  ];

  /** The live session's claims for an audience, as the app would sign them. */
  async function liveClaims(apiSession: { userId: string; sessionId: string }, aud: string) {
    return claimsFor(apiSession.userId, { sid: apiSession.sessionId, aud, client_id: "tessera-api" });
  }

  for (const [name, forge] of attacks) {
    test(`${name}: refused by the resource server's two routes and by the app, without fetching anything`, async ({ apiSession }) => {
      const forOrders = await forge(await liveClaims(apiSession, ORDERS));
      for (const path of ["/whoami", "/payouts"]) {
        const answer = await fetch(`${orders.url}${path}`, { headers: { authorization: `Bearer ${forOrders}` } });
        expect(answer.status, path).toBe(401);
      }
      const forApp = await forge(await liveClaims(apiSession, serverSessionConfig().audience));
      const me = await fetch(`${baseURL}/api/me`, { headers: { authorization: `Bearer ${forApp}` } });
      expect(me.status).toBe(401);
      expect(JSON.stringify(await me.json())).not.toMatch(/stack|at .*\.js/);
      expect(keyServer.hits()).toBe(0);
    });
  }

  test("a correct forgery with the real key passes everywhere, so the refusals above are about their defects", async ({ apiSession }) => {
    const forOrders = await signedToken(await liveClaims(apiSession, ORDERS), { typ: "at+jwt" });
    for (const path of ["/whoami", "/payouts"]) {
      expect((await fetch(`${orders.url}${path}`, { headers: { authorization: `Bearer ${forOrders}` } })).status, path).toBe(200);
    }
    const forApp = await signedToken(await liveClaims(apiSession, serverSessionConfig().audience), { typ: "at+jwt" });
    expect((await fetch(`${baseURL}/api/me`, { headers: { authorization: `Bearer ${forApp}` } })).status).toBe(200);
  });

  const bearer = (url: string, token: string) => fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const asOrders = () => ({ authorization: basic(ORDERS, secretOf(ORDERS)) });

  test("the high-s twin of a valid ES256 token is refused at /api/me, by introspection and at the resource server", async ({ newPerson }) => {
    const { email, password } = await newPerson();
    const forApp = (await tokensFor(email, password)).access_token;
    const forOrders = (await tokensFor(email, password, ORDERS)).access_token;
    const [appTwin, ordersTwin] = [malleatedSignature(forApp), malleatedSignature(forOrders)];

    expect((await bearer(`${baseURL}/api/me`, forApp)).status).toBe(200);
    const me = await bearer(`${baseURL}/api/me`, appTwin);
    expect(me.status).toBe(401);
    expect(await me.json()).toMatchObject({ error: "invalid_token" });

    expect(await (await introspect(forOrders, asOrders())).json()).toMatchObject({ active: true });
    expect(await (await introspect(ordersTwin, asOrders())).json()).toEqual({ active: false });

    for (const path of ["/whoami", "/payouts"]) {
      expect((await bearer(`${orders.url}${path}`, forOrders)).status, path).toBe(200);
      expect((await bearer(`${orders.url}${path}`, ordersTwin)).status, path).toBe(401);
    }
  });
});
