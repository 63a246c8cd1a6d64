// In-memory ObjectStore for tests. Bytes are copied in and out so callers can never mutate what is
// stored, and keys follow the same rules as every other store.
import { Readable } from 'node:stream';
import { InvalidArgumentError, ObjectNotFoundError } from '../common/errors.js';
import { checkRange, compareKeys, resolveRange, validateKey } from './keys.js';
import type { ByteRange, ObjectInfo, ObjectStore, OpOptions } from './object-store.js';
import { streamFileIn } from './put-file.js';

interface Entry {
  bytes: Uint8Array;
  lastModified: Date;
}

export class MemoryStore implements ObjectStore {
  readonly kind = 'memory' as const;
  readonly uri = 'memory://';
  private readonly objects = new Map<string, Entry>();

  /** Streams the file in, then removes it (see ObjectStore.putFile). */
  putFile(key: string, file: string, opts: OpOptions = {}): Promise<void> {
    return streamFileIn(this, key, file, opts);
  }

  async put(
    key: string,
    body: Uint8Array | Readable,
    opts: OpOptions & { size?: number } = {},
  ): Promise<void> {
    validateKey(key);
    opts.signal?.throwIfAborted();
    let bytes: Uint8Array;
    if (body instanceof Uint8Array) {
      bytes = new Uint8Array(body); // copy
    } else {
      const chunks: Buffer[] = [];
      for await (const chunk of body) {
        opts.signal?.throwIfAborted();
        chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
      }
      bytes = new Uint8Array(Buffer.concat(chunks));
      if (opts.size !== undefined && bytes.length !== opts.size) {
        throw new InvalidArgumentError(
          `object ${key}: stream had ${bytes.length} bytes, expected ${opts.size}`,
          { argument: 'size', reason: 'does not match the stream length' },
        );
      }
    }
    opts.signal?.throwIfAborted();
    this.objects.set(key, { bytes, lastModified: new Date() });
  }

  async get(key: string, opts: OpOptions & { range?: ByteRange } = {}): Promise<Uint8Array> {
    const { bytes } = this.entry(key, opts);
    const { start, end } = resolveRange(opts.range, bytes.length);
    return bytes.slice(start, Math.max(start, end + 1)); // slice copies
  }

  async getStream(key: string, opts: OpOptions & { range?: ByteRange } = {}): Promise<Readable> {
    const bytes = await this.get(key, opts);
    return Readable.from(bytes.length ? [Buffer.from(bytes.buffer, 0, bytes.length)] : []);
  }

  async head(key: string, opts: OpOptions = {}): Promise<ObjectInfo | undefined> {
    validateKey(key);
    opts.signal?.throwIfAborted();
    const entry = this.objects.get(key);
    return entry && { key, size: entry.bytes.length, lastModified: entry.lastModified };
  }

  async delete(key: string, opts: OpOptions = {}): Promise<void> {
    validateKey(key);
    opts.signal?.throwIfAborted();
    this.objects.delete(key);
  }

  async *list(
    prefix: string,
    opts: OpOptions & { after?: string } = {},
  ): AsyncIterable<ObjectInfo> {
    const keys = [...this.objects.keys()]
      .filter(
        (k) => k.startsWith(prefix) && (opts.after === undefined || compareKeys(k, opts.after) > 0),
      )
      .sort(compareKeys);
    for (const key of keys) {
      opts.signal?.throwIfAborted();
      const entry = this.objects.get(key);
      if (entry) yield { key, size: entry.bytes.length, lastModified: entry.lastModified };
    }
  }

  async close(): Promise<void> {}

  private entry(key: string, opts: OpOptions & { range?: ByteRange }): Entry {
    validateKey(key);
    checkRange(opts.range);
    opts.signal?.throwIfAborted();
    const entry = this.objects.get(key);
    if (!entry) throw new ObjectNotFoundError(`no object ${key}`, { key });
    return entry;
  }
}
