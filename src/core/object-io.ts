// Writing content into the store under its address, and reading it back verified.
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ObjectCorruptedError } from '../common/errors.js';
import { BlobHasher, hashBlob } from '../common/hash.js';
import type { ObjectAddress } from '../common/ids.js';
import type { ObjectStore } from '../storage/object-store.js';
import { dataKey } from './layout.js';

export interface StoredBlob {
  address: ObjectAddress;
  checksum: string;
  size: number;
}

/** A body given as bytes, or as a factory for a stream (read twice: once to hash, once to store). */
export type Body = Uint8Array | { size: number; open: () => Readable };

export async function hashBody(body: Body, signal?: AbortSignal): Promise<StoredBlob> {
  if (body instanceof Uint8Array) {
    const h = hashBlob(body);
    return { ...h, address: h.address as ObjectAddress };
  }
  const hasher = new BlobHasher();
  await pipeline(body.open(), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      signal?.throwIfAborted();
      hasher.update(chunk);
    }
  });
  const h = hasher.digest();
  return { ...h, address: h.address as ObjectAddress };
}

export async function storeBody(store: ObjectStore, blob: StoredBlob, body: Body, signal?: AbortSignal): Promise<void> {
  if (body instanceof Uint8Array) return store.put(dataKey(blob.address), body, { signal });
  return store.put(dataKey(blob.address), body.open(), { size: blob.size, signal });
}

function corrupted(address: string, actual: string): ObjectCorruptedError {
  return new ObjectCorruptedError(`object ${dataKey(address)} is corrupted (its content hashes to ${actual})`, {
    key: dataKey(address),
    expected: address,
    actual,
  });
}

/** Reads a whole object and checks it against its address. */
export async function readVerified(store: ObjectStore, address: string, signal?: AbortSignal): Promise<Uint8Array> {
  const bytes = await store.get(dataKey(address), { signal });
  const actual = hashBlob(bytes).address;
  if (actual !== address) throw corrupted(address, actual);
  return bytes;
}

/** A stream of an object that fails at its end if the content does not match the address. */
export async function openVerified(store: ObjectStore, address: string, signal?: AbortSignal): Promise<Readable> {
  const source = await store.getStream(dataKey(address), { signal });
  const hasher = new BlobHasher();
  const check = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hasher.update(chunk);
      cb(null, chunk);
    },
    flush(cb) {
      const actual = hasher.digest().address;
      cb(actual === address ? null : corrupted(address, actual));
    },
  });
  source.on('error', (err) => check.destroy(err));
  return source.pipe(check);
}

export { Readable };
