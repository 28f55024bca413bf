// `npm run keys:rotate`: publishes the next access-token signing key. It signs from one JWKS cache period
// (JWKS_CACHE_SECONDS) on; the current key stays published until every token it signed has expired. Run it with
// the app's own environment (DATABASE_URL, SESSION_SECRET, ACCESS_TOKEN_ALG, JWKS_CACHE_SECONDS).
import { ConfigError } from "../lib/config";
import { currentSigningKid, rotateSigningKey, RotationError } from "../lib/keys/rotation.server";
import { db } from "../lib/db/db.server";

async function main(): Promise<number> {
  try {
    const before = await currentSigningKid();
    const rotation = await rotateSigningKey();
    console.log(`Published key ${rotation.kid}; it signs from ${rotation.activatesAt.toISOString()}.`);
    if (before) console.log(`Key ${before} signs until then and stays published until its last token has expired.`);
    if (rotation.retired.length > 0) console.log(`Deleted retired keys: ${rotation.retired.join(", ")}.`);
    return 0;
  } catch (error) {
    if (!(error instanceof RotationError || error instanceof ConfigError)) throw error;
    console.error(`No rotation: ${error.message}`);
    return 1;
  } finally {
    await db.$disconnect();
  }
}

process.exitCode = await main();
