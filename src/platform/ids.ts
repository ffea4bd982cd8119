/** Identifiers and secrets: random, URL-safe, and hashed before storage where they grant access. */
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';

/** A new record identifier. */
export const newId = (): string => randomUUID();

/** A bearer secret: 32 random bytes, base64url. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** SHA-256 hex of a high-entropy secret (tokens, client secrets): enough, since they cannot be guessed. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** A uniformly random integer in [0, max). */
export const secureRandomInt = (max: number): number => randomInt(max);

/** A password people can type: 20 characters from an alphabet without look-alikes. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  let out = '';
  for (let i = 0; i < 20; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}
