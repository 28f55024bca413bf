import "server-only";
// The access-token keys this process signs and verifies with: the database's rows (the first one made on first
// use when there is none) or one PEM from configuration. Read once and re-read every refresh interval, so a key
// published by `npm run keys:rotate` reaches every instance well before it signs.
import { importJWK, type JWK } from "jose";
import { accessTokenConfig, sessionConfig, type AccessTokenAlgorithm, type AccessTokenConfig } from "../config";
import { importKey } from "./key-pairs.server";
import { publishedKeysAt, signingKeyAt } from "./schedule";
import { unseal } from "./sealing.server";
import { insertKey, listKeys, type StoredKey } from "./store.server";

export interface LoadedKey {
  kid: string;
  alg: AccessTokenAlgorithm;
  generation: number;
  activatesAt: Date;
  publicJwk: JWK;
  publicKey: CryptoKey;
  /** Opened on first use: a key that never signs here is never decrypted here. */
  privateKey: () => Promise<CryptoKey>;
}

export interface Keyring {
  keys: LoadedKey[];
  /** The key that signs now. */
  signing(now?: Date): LoadedKey;
  /** The keys verifiers must know now: the JWKS. */
  published(now?: Date): LoadedKey[];
}

/** How often the keyring is read again: well inside one JWKS cache period, at most once a minute. */
export function refreshSeconds(config: AccessTokenConfig = accessTokenConfig()): number {
  return Math.min(60, Math.max(1, Math.floor(config.jwksCacheSeconds / 4)));
}

/**
 * How long a new key is published before it signs: one JWKS cache period, plus one keyring refresh for every
 * instance (and its JWKS) to have read it. A verifier that fetched the JWKS just before the key appeared has
 * fetched again by then.
 */
export function publishDelaySeconds(config: AccessTokenConfig = accessTokenConfig()): number {
  return config.jwksCacheSeconds + refreshSeconds(config);
}

/** How long a key stays published after it stopped signing: its last token's lifetime and the clock skew. */
export function retireAfterSeconds(): number {
  const { accessTokenTtlSeconds, clockToleranceSeconds } = sessionConfig();
  return accessTokenTtlSeconds + clockToleranceSeconds;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
}

async function loadStored(key: StoredKey, secrets: readonly Uint8Array[]): Promise<LoadedKey> {
  return {
    kid: key.kid,
    alg: key.alg,
    generation: key.generation,
    activatesAt: key.activatesAt,
    publicJwk: key.publicJwk,
    publicKey: (await importJWK(key.publicJwk, key.alg)) as CryptoKey,
    privateKey: once(async () => (await importKey(unseal(key.sealedPrivateKey, key.kid, secrets), key.alg)).privateKey),
  };
}

/** The rows, after making the first key if there is none. Of instances starting together, one insert wins. */
export async function storedKeys(config: AccessTokenConfig = accessTokenConfig()): Promise<StoredKey[]> {
  const keys = await listKeys();
  if (keys.length > 0) return keys;
  await insertKey(1, config.algorithm, new Date(), sessionConfig().signingSecret);
  return listKeys();
}

async function loadKeys(config: AccessTokenConfig): Promise<LoadedKey[]> {
  if (config.privateKeyPem !== null) {
    const pair = await importKey(config.privateKeyPem, config.algorithm);
    const publicKey = (await importJWK(pair.publicJwk, pair.alg)) as CryptoKey;
    return [{ ...pair, generation: 0, activatesAt: new Date(0), publicKey, privateKey: async () => pair.privateKey }];
  }
  const { signingSecret, previousSecrets } = sessionConfig();
  return Promise.all((await storedKeys(config)).map((key) => loadStored(key, [signingSecret, ...previousSecrets])));
}

function keyringOf(keys: LoadedKey[]): Keyring {
  return {
    keys,
    signing: (now = new Date()) => signingKeyAt(keys, now)!,
    published: (now = new Date()) => publishedKeysAt(keys, now, retireAfterSeconds()),
  };
}

let cached: { keyring: Promise<Keyring>; loadedAt: number } | undefined;

/** The process's keyring, read again once it is older than the refresh interval. A failed read is not kept. */
export function keyring(now = Date.now()): Promise<Keyring> {
  const config = accessTokenConfig();
  if (!cached || now - cached.loadedAt >= refreshSeconds(config) * 1000) {
    const loading = loadKeys(config).then(keyringOf);
    const entry = { keyring: loading, loadedAt: now };
    cached = entry;
    loading.catch(() => {
      if (cached === entry) cached = undefined;
    });
  }
  return cached.keyring;
}

/** Forgets the keyring: the next use reads it again (tests, after changing the rows). */
export function forgetKeyring(): void {
  cached = undefined;
}
