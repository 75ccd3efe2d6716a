import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
const PARAMS = { N: 16384, r: 8, p: 1 };

/** Client secrets are stored as `scrypt$N$r$p$salt$hash`, never in clear. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, 32, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** A well-formed hash with the same cost as a real one, of no secret anyone knows: checked
 * instead of a client's hash when the client id is unknown, so that both take as long. */
export const DUMMY_SECRET_HASH = ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, 'c2FraXAtbm8tc3VjaC1jbA', 'QbzpBwSXD2dMmyBX7A8xpcqLTLmlK0kPQQ4fZTGF0m8'].join('$');

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(secret, Buffer.from(salt, 'base64url'), expected.length, { N: +n, r: +r, p: +p });
  return timingSafeEqual(expected, actual);
}

export const newClientSecret = () => randomBytes(32).toString('base64url');
