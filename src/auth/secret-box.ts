// Secrets the server must read back (access key secrets: S3 signatures are computed from them, so
// they cannot be hashed) are sealed with AES-256-GCM under a key derived from the server key for
// this purpose only. The text is versioned — `v1:` + base64(iv | tag | ciphertext) — so the
// scheme can change without a migration. `context` (the access key id) is bound as associated
// data: a sealed secret moved to another row does not open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SealedSecretError } from '../common/errors.js';
import type { ServerKey } from './server-key.js';

const VERSION = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function sealSecret(key: ServerKey, secret: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.derive('access-key-secret'), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** The secret; SealedSecretError for another server key, an altered text or another context. */
export function openSecret(key: ServerKey, sealed: string, context: string): string {
  const fail = (reason: string): never => {
    throw new SealedSecretError(`the sealed secret of ${context} does not open: ${reason}`, {
      context,
      reason,
    });
  };
  if (!sealed.startsWith(VERSION)) fail('unknown format');
  const raw = Buffer.from(sealed.slice(VERSION.length), 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) fail('too short');
  const decipher = createDecipheriv(
    'aes-256-gcm',
    key.derive('access-key-secret'),
    raw.subarray(0, IV_BYTES),
  );
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    const plain = Buffer.concat([
      decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
    return plain.toString('utf8');
  } catch {
    return fail('another server key, or the stored text was altered');
  }
}
