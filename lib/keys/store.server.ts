import "server-only";
// Signing-key rows (table signing_keys), shared by every instance. A key's generation is unique, so when two
// instances make the first key at once, or two rotations race, the database keeps exactly one of them.
import type { JWK } from "jose";
import type { AccessTokenAlgorithm } from "../config";
import { db, isUniqueViolation } from "../db/db.server";
import { generateKey } from "./key-pairs.server";
import { seal } from "./sealing.server";

export interface StoredKey {
  kid: string;
  generation: number;
  alg: AccessTokenAlgorithm;
  publicJwk: JWK;
  /** The private key, sealed (lib/keys/sealing.server.ts). */
  sealedPrivateKey: string;
  activatesAt: Date;
}

export async function listKeys(): Promise<StoredKey[]> {
  const rows = await db.signingKey.findMany({ orderBy: { generation: "asc" } });
  return rows.map((row) => ({
    kid: row.kid,
    generation: row.generation,
    alg: row.alg as AccessTokenAlgorithm,
    publicJwk: JSON.parse(row.publicJwk) as JWK,
    sealedPrivateKey: row.encryptedPrivateKey,
    activatesAt: row.activatesAt,
  }));
}

/**
 * Makes a key pair and stores it as `generation`, sealed with `secret`. False when that generation exists already:
 * another instance or rotation got there first, and its key is the one to use.
 */
export async function insertKey(
  generation: number,
  alg: AccessTokenAlgorithm,
  activatesAt: Date,
  secret: Uint8Array,
): Promise<boolean> {
  const key = await generateKey(alg);
  try {
    await db.signingKey.create({
      data: {
        kid: key.kid,
        generation,
        alg,
        publicJwk: JSON.stringify(key.publicJwk),
        encryptedPrivateKey: seal(key.pkcs8, key.kid, secret),
        activatesAt,
      },
    });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

export async function deleteKeys(kids: string[]): Promise<void> {
  if (kids.length > 0) await db.signingKey.deleteMany({ where: { kid: { in: kids } } });
}
