// Passwords of people (machines use access keys): argon2id hashes in PHC form, verified in
// constant time by argon2 itself. Loaded lazily — a native module that only password paths need.
import { InvalidArgumentError } from '../common/errors.js';

const MIN_LENGTH = 8;
const MAX_LENGTH = 1024;

async function argon2() {
  return import('argon2');
}

/** InvalidArgumentError unless the password is 8 to 1024 characters (never quoted). */
export function validatePassword(password: string): void {
  if (password.length < MIN_LENGTH || password.length > MAX_LENGTH) {
    throw new InvalidArgumentError(
      `password: it must be ${MIN_LENGTH} to ${MAX_LENGTH} characters long`,
      { argument: 'password', reason: 'length' },
    );
  }
}

export async function hashPassword(password: string): Promise<string> {
  validatePassword(password);
  const a = await argon2();
  return a.hash(password, { type: a.argon2id });
}

/** Whether `password` matches `hash`; false (never an error) for a malformed hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  const a = await argon2();
  try {
    return await a.verify(hash, password);
  } catch {
    return false;
  }
}
