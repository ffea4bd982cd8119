/** Password hashing with Argon2id (memory-hard), from @node-rs/argon2's prebuilt binary. See docs/adr/0004. */
import { hash, verify } from '@node-rs/argon2';

/** Argon2id in @node-rs/argon2's Algorithm enum (a const enum, which isolated modules cannot import). */
const ARGON2ID = 2;

export const MIN_PASSWORD_LENGTH = 12;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(stored: string, password: string): Promise<boolean>;
}

/** An Argon2id hasher. `memoryKiB` defaults to OWASP's 19 MiB; tests lower it to stay quick. */
export function argon2Hasher(memoryKiB = 19456): PasswordHasher {
  const options = { algorithm: ARGON2ID, memoryCost: memoryKiB, timeCost: 2, parallelism: 1 };
  return {
    hash: (password) => hash(password, options),
    verify: async (stored, password) => {
      try {
        return await verify(stored, password);
      } catch {
        return false;
      }
    },
  };
}
