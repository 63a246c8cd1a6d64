// Writing content into the store under its address, and reading it back verified.
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IntegrityError, InvalidArgumentError, ObjectCorruptedError } from '../common/errors.js';
import { BlobHasher, hashBlob, sha256Hex, tag } from '../common/hash.js';
import type { ObjectAddress } from '../common/ids.js';
import type { ByteRange, ObjectStore } from '../storage/object-store.js';
import { putLocalFile } from '../storage/put-file.js';
import type { ExternalLocation } from './entry.js';
import { externalSourcesOf } from './external-source.js';
import { dataKey, packKey } from './layout.js';

export interface StoredBlob {
  address: ObjectAddress;
  checksum: string;
  size: number;
}

/** A body given as bytes, or as a factory for a stream (read twice: once to hash, once to store). */
export type Body = Uint8Array | { size: number; open: () => Readable };

/**
 * A body already spooled to a local file and hashed on the way (hashing-spool.ts). Its address is
 * trusted without reading the file again, so only `hashingSpool` makes one: the brand is a symbol
 * no other module has, and the value is also checked against the set of genuine ones at run time.
 * Storing it moves the file into the store (consumed: store it once).
 */
export interface HashedBody {
  readonly [HASHED]: true;
  readonly file: string;
  readonly blob: StoredBlob;
  /** Hex MD5 of the bytes (the S3 ETag of a single-part write). */
  readonly md5: string;
}
declare const HASHED: unique symbol;
const genuine = new WeakSet<object>();

/** Brands a spooled body; for hashing-spool.ts only (not exported from the package). */
export function brandHashed(body: { file: string; blob: StoredBlob; md5: string }): HashedBody {
  genuine.add(body);
  return body as HashedBody;
}

/** True only for bodies hashingSpool made (never throws). */
export function isGenuineHashed(body: unknown): body is HashedBody {
  return typeof body === 'object' && body !== null && genuine.has(body);
}

export function isHashedBody(body: unknown): body is HashedBody {
  if (typeof body !== 'object' || body === null || !('file' in body)) return false;
  if (!genuine.has(body))
    throw new InvalidArgumentError('a hashed body must come from hashingSpool', {
      argument: 'body',
      reason: 'not hashed by Sluice',
    });
  return true;
}

export async function hashBody(body: Body | HashedBody, signal?: AbortSignal): Promise<StoredBlob> {
  if (isHashedBody(body)) return body.blob;
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

export async function storeBody(
  store: ObjectStore,
  blob: StoredBlob,
  body: Body | HashedBody,
  signal?: AbortSignal,
): Promise<void> {
  if (isHashedBody(body)) return putLocalFile(store, dataKey(blob.address), body.file, { signal });
  if (body instanceof Uint8Array) return store.put(dataKey(blob.address), body, { signal });
  return store.put(dataKey(blob.address), body.open(), { size: blob.size, signal });
}

function corrupted(address: string, actual: string, where: string): ObjectCorruptedError {
  return new ObjectCorruptedError(
    `object ${address} is corrupted in ${where} (its content hashes to ${actual})`,
    {
      key: where,
      expected: address,
      actual,
    },
  );
}

/** What a read needs to find and check an object. */
export interface Located {
  address: string;
  size: number;
  physical?: string;
  /** An imported object's own location: read there, checked against what was recorded. */
  external?: ExternalLocation;
  /** The repository path, for messages. */
  path?: string;
}

/** The pack and offset of a `pack:<id>:<offset>` location. */
export function parsePackLocation(obj: Located & { physical: string }): {
  pack: string;
  offset: number;
} {
  const m = /^pack:([0-9a-f]{64}):(\d+)$/.exec(obj.physical);
  if (!m)
    throw new IntegrityError(`unknown physical location ${obj.physical} for ${obj.address}`, {
      address: obj.address,
    });
  return { pack: m[1] as string, offset: Number(m[2]) };
}

/** The store key and byte range holding an object. */
export function locate(obj: Located): { key: string; range?: ByteRange } {
  if (obj.physical === undefined) return { key: dataKey(obj.address) };
  const { pack, offset } = parsePackLocation({ ...obj, physical: obj.physical });
  return {
    key: packKey(pack),
    range: obj.size > 0 ? { start: offset, end: offset + obj.size - 1 } : undefined,
  };
}

/** Reads a whole object and checks it against its address. */
export async function readVerified(
  store: ObjectStore,
  obj: Located,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  if (obj.external)
    return externalSourcesOf(store).read(obj.external, { size: obj.size, path: obj.path, signal });
  const { key, range } = locate(obj);
  const bytes =
    obj.size === 0 && range === undefined && obj.physical
      ? new Uint8Array()
      : await store.get(key, { signal, range });
  const verifier = new BlobHasher({ addressOnly: true });
  verifier.update(bytes);
  const actual = verifier.digest().address;
  if (actual !== obj.address) throw corrupted(obj.address, actual, key);
  return bytes;
}

/**
 * A stream of an object that fails at its end if the content does not match the address. Its last
 * chunk is held back until the content is checked: a reader (an HTTP response with a
 * Content-Length) never receives every byte of corrupted content, so it cannot take it as whole.
 */
export async function openVerified(
  store: ObjectStore,
  obj: Located,
  signal?: AbortSignal,
): Promise<Readable> {
  if (obj.external)
    return externalSourcesOf(store).open(obj.external, { size: obj.size, path: obj.path, signal });
  if (obj.physical !== undefined)
    return Readable.from([Buffer.from(await readVerified(store, obj, signal))]);
  const { key } = locate(obj);
  const source = await store.getStream(key, { signal });
  const hasher = new BlobHasher({ addressOnly: true });
  let held: Buffer | undefined;
  const check = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hasher.update(chunk);
      const previous = held;
      held = chunk;
      cb(null, previous);
    },
    flush(cb) {
      const actual = hasher.digest().address;
      if (actual !== obj.address) return cb(corrupted(obj.address, actual, key));
      cb(null, held);
    },
  });
  source.on('error', (err) => check.destroy(err));
  return source.pipe(check);
}

/**
 * A byte range of an object stored whole, or of an external one (checked against its record and
 * counted); `range` is inclusive and within the object. Bytes of a range cannot be hashed against
 * the address.
 */
export async function openRange(
  store: ObjectStore,
  obj: Located,
  range: { start: number; end: number },
  signal?: AbortSignal,
): Promise<Readable> {
  if (obj.external)
    return externalSourcesOf(store).open(obj.external, {
      size: obj.size,
      path: obj.path,
      range,
      signal,
    });
  return store.getStream(locate(obj).key, { signal, range });
}

/** Whether an object is there without reading it: a store HEAD, or an external object's check. */
export async function objectExists(
  store: ObjectStore,
  obj: Located,
  signal?: AbortSignal,
): Promise<boolean> {
  if (obj.external) {
    await externalSourcesOf(store).check(obj.external, { size: obj.size, path: obj.path, signal });
    return true;
  }
  return (await store.head(locate(obj).key, { signal })) !== undefined;
}

const PACK_TAG = Buffer.from(tag('pack'));
/** Objects up to this size go into packs when written in bulk. */
export const PACK_MAX_OBJECT = 1024 * 1024;
const PACK_TARGET_SIZE = 64 * 1024 * 1024;

/**
 * Packs many small objects into few store objects: one file (or one S3 PUT) per 64 MiB instead of
 * one per object, which is what makes bulk imports fast. A pack is the tag followed by the
 * objects' bytes; its id is the SHA-256 of the whole, and entries point into it by offset.
 */
export class PackWriter {
  private chunks: Uint8Array[] = [PACK_TAG];
  private size = PACK_TAG.byteLength;
  private pending: { blob: StoredBlob; offset: number; assign: (physical: string) => void }[] = [];
  private readonly inPack = new Map<string, number>();
  private readonly writes: Promise<void>[] = [];

  constructor(
    private readonly store: ObjectStore,
    private readonly signal?: AbortSignal,
  ) {}

  /** Adds an object; `assign` receives its physical location once its pack is written. */
  add(blob: StoredBlob, bytes: Uint8Array, assign: (physical: string) => void): void {
    let offset = this.inPack.get(blob.address);
    if (offset === undefined) {
      if (this.size + bytes.byteLength > PACK_TARGET_SIZE && this.pending.length > 0) this.seal();
      offset = this.size;
      this.chunks.push(bytes);
      this.size += bytes.byteLength;
      this.inPack.set(blob.address, offset);
    }
    this.pending.push({ blob, offset, assign });
  }

  private seal(): void {
    const bytes = Buffer.concat(this.chunks);
    const id = sha256Hex(bytes);
    for (const p of this.pending) p.assign(`pack:${id}:${p.offset}`);
    this.writes.push(this.store.put(packKey(id), bytes, { signal: this.signal }));
    this.chunks = [PACK_TAG];
    this.size = PACK_TAG.byteLength;
    this.pending = [];
    this.inPack.clear();
  }

  /** Writes the last pack and waits for every pack to be stored. */
  async finish(): Promise<void> {
    if (this.pending.length > 0) this.seal();
    await Promise.all(this.writes);
  }
}
