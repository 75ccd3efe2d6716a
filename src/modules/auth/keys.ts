import { desc } from 'drizzle-orm';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { signingKeys } from '../../db/schema/index.js';

export const SIGNING_ALG = 'ES256';

export type KeyRing = {
  /** The newest key: signs tokens and report submissions. */
  current: { kid: string; privateKey: CryptoKey };
  /** Every key's public half, by kid: verifies tokens and is published in the JWKS. */
  publicKeys: Map<string, CryptoKey>;
  jwks: { keys: JWK[] };
};

/** Creates the service's first signing key if there is none. Run under the start-up lock so
 * that several processes starting on one database end up sharing one key. */
export async function ensureSigningKey(db: Db): Promise<void> {
  const existing = await db.select({ kid: signingKeys.kid }).from(signingKeys).limit(1);
  if (existing.length) return;
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG };
  await db.insert(signingKeys).values({ kid, alg: SIGNING_ALG, privateJwk, publicJwk });
}

export async function loadKeyRing(db: Db): Promise<KeyRing> {
  const rows = await db.select().from(signingKeys).orderBy(desc(signingKeys.createdAt));
  if (!rows.length) throw new Error('no signing key in the database');
  const publicKeys = new Map<string, CryptoKey>();
  for (const r of rows) publicKeys.set(r.kid, (await importJWK(r.publicJwk as JWK, r.alg)) as CryptoKey);
  const newest = rows[0];
  return {
    current: { kid: newest.kid, privateKey: (await importJWK(newest.privateJwk as JWK, newest.alg)) as CryptoKey },
    publicKeys,
    jwks: { keys: rows.map((r) => r.publicJwk as JWK) },
  };
}
