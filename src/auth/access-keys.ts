// Access keys, shaped like AWS's so S3 tools accept them: a 20-character id (`SLK` + 17 base32
// characters, 85 random bits; public, it names the key in logs and listings) and a 40-character
// secret (30 random bytes in base64url, 240 bits; shown once, then stored sealed).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const ACCESS_KEY_PREFIX = 'SLK';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ID_RANDOM_CHARS = 17;
const ID_PATTERN = /^SLK[A-Z2-7]{17}$/;

/** A new access key id: `SLK` + 17 characters of A–Z2–7. */
export function newAccessKeyId(): string {
  // 256 is a multiple of 32: each byte's low five bits are uniform.
  const bytes = randomBytes(ID_RANDOM_CHARS);
  let id = ACCESS_KEY_PREFIX;
  for (const b of bytes) id += BASE32[b & 31];
  return id;
}

/** A new secret: 40 characters of base64url. */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64url');
}

/** Is `id` shaped like an access key id (before any lookup)? */
export function isAccessKeyId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** Compares two secrets in time independent of where they differ (and of their lengths). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
