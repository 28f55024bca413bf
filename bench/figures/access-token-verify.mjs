// Figure 11: an access token checked at a resource server (examples/resource-server/verify.mjs: jose's remote JWKS,
// cached, with every claim pinned), against jose's own jwtVerify of the same token with the public key in hand
// and no claim checks (the bound: what verification cannot cost less than with jose). ES256 (the default) and
// RS256, and the ES256 check beside our HS256 cookie check for scale. Then the key set's fetches under load:
// 20,000 verifications, 100 at a time, against a JWKS server that counts its requests (goal: one per process per
// cache period).
import { createServer } from "node:http";
import { exportJWK, generateKeyPair, jwtVerify } from "jose";
import { createVerifier } from "../../examples/resource-server/verify.mjs";
import { compare, interleave, perCall, resultRow } from "../harness.mjs";
import { benchSessionConfig, defaultSubject, loadProject } from "../project.mjs";

export const title = "Access-token verification at a resource server";

const SETTINGS = { full: { rounds: 9, warmup: 1, roundMs: 150, load: 20_000 }, smoke: { rounds: 2, warmup: 1, roundMs: 2, load: 200 } };
const AUDIENCE = "https://orders.example.test";

/** A key pair as lib/keys makes them: the token's signer, and the public JWK the JWKS would publish. */
async function keyFor(alg, kid) {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { signer: { alg, kid, key: privateKey }, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

/** A JWKS server on a free port that counts the requests it answers. */
function jwksServer(keys) {
  let fetches = 0;
  const server = createServer((_request, response) => {
    fetches += 1;
    response.writeHead(200, { "content-type": "application/jwk-set+json", "cache-control": "public, max-age=600" });
    response.end(JSON.stringify({ keys }));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}/jwks.json`, fetches: () => fetches, close: () => server.close() }),
    ),
  );
}

export async function run({ smoke }) {
  const { rounds, warmup, roundMs, load } = SETTINGS[smoke ? "smoke" : "full"];
  const project = await loadProject();
  const config = benchSessionConfig(project);
  const subject = defaultSubject(project);
  const es = await keyFor("ES256", "es-key");
  const rs = await keyFor("RS256", "rs-key");
  // The app's own signing code (lib/tokens/), so the tokens are the ones resource servers receive: an ES256 one in
  // its low-s spelling, the only one they accept.
  const sign = async ({ signer }) => {
    const { token } = await project.signToken({ kind: "access", subject, config, now: new Date(), signer, audience: AUDIENCE, extraClaims: { client_id: "tessera-api" } });
    return signer.alg === "ES256" ? project.withLowS(token) : token;
  };
  const [esToken, rsToken] = [await sign(es), await sign(rs)];
  const cookie = (await project.signSessionToken(subject, config)).token;

  const jwks = await jwksServer([es.jwk, rs.jwk]);
  try {
    const verify = createVerifier({ jwksUri: jwks.url, issuer: config.issuer, audience: AUDIENCE });
    await verify(esToken); // the key set's first fetch, before any clock starts
    const samples = await interleave(
      {
        esResourceServer: perCall(() => verify(esToken), { roundMs }),
        esBound: perCall(() => jwtVerify(esToken, es.publicKey), { roundMs }),
        rsResourceServer: perCall(() => verify(rsToken), { roundMs }),
        rsBound: perCall(() => jwtVerify(rsToken, rs.publicKey), { roundMs }),
        cookie: perCall(() => project.verifySessionToken(cookie, config), { roundMs }),
      },
      { rounds, warmup },
    );

    // Load: a fresh verifier (a process just started), its key set fetched once however many requests arrive.
    const loaded = createVerifier({ jwksUri: jwks.url, issuer: config.issuer, audience: AUDIENCE });
    const before = jwks.fetches();
    for (let done = 0; done < load; done += 100) await Promise.all(Array.from({ length: 100 }, () => loaded(esToken)));
    const fetches = jwks.fetches() - before;

    const side = (name, label) => ({ name, label });
    const row = (label, a, b, more = {}) => compare(samples, { figure: 11, label, a, b, unit: "µs", ...more });
    return [
      row("ES256 at the resource server vs jose's verify with the key in hand", side("esResourceServer", "resource server, ES256"), side("esBound", "jose jwtVerify(token, key), ES256"), {
        goal: { atMost: 1.25 },
      }),
      row("RS256 at the resource server vs jose's verify with the key in hand", side("rsResourceServer", "resource server, RS256"), side("rsBound", "jose jwtVerify(token, key), RS256")),
      row("ES256 access token vs HS256 cookie (ours, uncached)", side("esResourceServer", "resource server, ES256"), side("cookie", "verifySessionToken, HS256")),
      resultRow({
        figure: 11,
        label: `JWKS fetches for ${load.toLocaleString("en")} verifications, 100 at a time, in one cache period`,
        a: { label: "fetches", value: fetches, unit: "" },
        b: { label: "goal", value: 1, unit: "" },
        ratio: fetches,
        goal: { exactly: 1 },
      }),
    ];
  } finally {
    jwks.close();
  }
}
