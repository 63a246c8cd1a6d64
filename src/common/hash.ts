// Hashing helpers. Addresses are SHA-256 over canonical bytes prefixed with a type-and-version
// tag (`sluice:<type>:v1\n`), so bytes of one type can never be read back as another.
import { createHash, type Hash } from 'node:crypto';

export function tag(type: string, version = 1): string {
  return `sluice:${type}:v${version}\n`;
}

export function sha256Hex(...parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/**
 * Hashes a blob twice in one pass: its tagged address and the plain SHA-256 users can check. A
 * read that only verifies the bytes against their address asks for `addressOnly`: one SHA-256
 * instead of two, which halves the CPU of every verified read (checksum is then '').
 */
export class BlobHasher {
  private readonly addr: Hash = createHash('sha256').update(tag('blob'));
  private readonly plain: Hash | undefined;
  size = 0;
  constructor(opts: { addressOnly?: boolean } = {}) {
    this.plain = opts.addressOnly ? undefined : createHash('sha256');
  }
  update(chunk: Uint8Array): void {
    this.addr.update(chunk);
    this.plain?.update(chunk);
    this.size += chunk.byteLength;
  }
  digest(): { address: string; checksum: string; size: number } {
    return {
      address: this.addr.digest('hex'),
      checksum: this.plain?.digest('hex') ?? '',
      size: this.size,
    };
  }
}

export function hashBlob(bytes: Uint8Array): { address: string; checksum: string; size: number } {
  const h = new BlobHasher();
  h.update(bytes);
  return h.digest();
}

/** Serializes plain JSON data with sorted object keys and no whitespace: one value, one text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}
