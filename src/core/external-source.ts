// Reading imported (external) objects where they live — a local file or an S3 object that Sluice
// never copied — checked against what the import recorded: a file's size and modification time
// before it is read (and again at its end), an S3 object's ETag (If-Match, and the answer's ETag),
// and the number of bytes streamed. Anything else is ExternalObjectChangedError, never content.
// The S3 clients live in one small registry per object store (so per repository context), closed
// with it.
import { type FileHandle, open } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { fileURLToPath } from 'node:url';
import {
  ExternalObjectChangedError,
  InvalidArgumentError,
  ObjectNotFoundError,
} from '../common/errors.js';
import type { ByteRange, ObjectStore } from '../storage/object-store.js';
import { openBucketStore } from '../storage/open-store.js';
import type { ExternalLocation } from './entry.js';

export interface ExternalRead {
  /** The entry's recorded size. */
  size: number;
  /** The repository path, for messages. */
  path?: string;
  range?: ByteRange;
  signal?: AbortSignal;
}

/** `s3://bucket/key` split; InvalidArgumentError for anything else. */
export function parseS3Location(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m)
    throw new InvalidArgumentError(`not an s3://bucket/key location: ${uri}`, {
      argument: 'uri',
      reason: 'expected s3://bucket/key',
    });
  return { bucket: m[1] as string, key: m[2] as string };
}

export class ExternalSources {
  private readonly buckets = new Map<string, Promise<ObjectStore>>();

  constructor(private readonly repoStore: ObjectStore) {}

  /**
   * A client for `bucket`: the repository's own S3 connection settings when its store is on that
   * bucket, else the standard AWS environment (AWS_ENDPOINT_URL[_S3], AWS_REGION, credentials).
   */
  bucket(bucket: string): Promise<ObjectStore> {
    let s = this.buckets.get(bucket);
    if (!s) {
      s = openBucketStore(bucket, this.repoStore);
      this.buckets.set(bucket, s);
      s.catch(() => this.buckets.delete(bucket)); // a failed open is tried again next time
    }
    return s;
  }

  /** A stream of the object (or range) that fails with ExternalObjectChangedError if it changed. */
  async open(loc: ExternalLocation, read: ExternalRead): Promise<Readable> {
    const expected = expectedLength(read);
    const body = loc.uri.startsWith('s3://')
      ? await this.openS3(loc, read)
      : await openLocal(loc, read);
    return countChecked(body.stream, expected, () => changed(loc, read, 'changed'), body.recheck);
  }

  /** The whole object (or range), checked. */
  async read(loc: ExternalLocation, read: ExternalRead): Promise<Uint8Array> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.open(loc, read)) {
      read.signal?.throwIfAborted();
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  /** Checks the object is still what was recorded without reading it (a stat or a HEAD). */
  async check(loc: ExternalLocation, read: ExternalRead): Promise<void> {
    if (loc.uri.startsWith('s3://')) {
      const { bucket, key } = parseS3Location(loc.uri);
      const info = await (await this.bucket(bucket)).head(key, { signal: read.signal });
      if (!info) throw changed(loc, read, 'vanished');
      if (info.size !== read.size || (loc.etag !== undefined && info.etag !== loc.etag))
        throw changed(loc, read, 'changed');
      return;
    }
    const fh = await openLocalHandle(loc, read);
    try {
      await checkStat(fh, loc, read);
    } finally {
      await fh.close();
    }
  }

  async close(): Promise<void> {
    const stores = [...this.buckets.values()];
    this.buckets.clear();
    for (const s of stores) await (await s.catch(() => undefined))?.close();
  }

  private async openS3(
    loc: ExternalLocation,
    read: ExternalRead,
  ): Promise<{ stream: Readable; recheck?: () => Promise<void> }> {
    const { bucket, key } = parseS3Location(loc.uri);
    const store = await this.bucket(bucket);
    try {
      // Without an ETag (or a store that cannot check one) only the size is checked.
      if (loc.etag === undefined || !store.openVersion)
        return { stream: await store.getStream(key, read) };
      const out = await store.openVersion(key, loc.etag, {
        range: read.range,
        signal: read.signal,
      });
      if (out === 'changed') throw changed(loc, read, 'changed');
      return { stream: out };
    } catch (err) {
      if (err instanceof ObjectNotFoundError) throw changed(loc, read, 'vanished', err);
      throw err;
    }
  }
}

function expectedLength(read: ExternalRead): number {
  if (!read.range) return read.size;
  const end = Math.min(read.range.end ?? read.size - 1, read.size - 1);
  return Math.max(0, end - read.range.start + 1);
}

function changed(
  loc: ExternalLocation,
  read: ExternalRead,
  reason: 'changed' | 'vanished',
  cause?: unknown,
): ExternalObjectChangedError {
  const what = read.path ?? loc.uri;
  const how =
    reason === 'vanished'
      ? 'is gone'
      : 'changed since it was imported (size, ETag or modification time differ)';
  return new ExternalObjectChangedError(
    `the imported object ${what} (${loc.uri}) ${how}: it is not served as the committed content`,
    { uri: loc.uri, ...(read.path !== undefined ? { path: read.path } : {}), reason },
    cause === undefined ? undefined : { cause },
  );
}

async function openLocalHandle(loc: ExternalLocation, read: ExternalRead): Promise<FileHandle> {
  const file = fileURLToPath(loc.uri);
  try {
    return await open(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw changed(loc, read, 'vanished', err);
    throw err;
  }
}

async function checkStat(fh: FileHandle, loc: ExternalLocation, read: ExternalRead): Promise<void> {
  const st = await fh.stat();
  if (!st.isFile() || st.size !== read.size) throw changed(loc, read, 'changed');
  if (loc.mtimeMs !== undefined && st.mtimeMs !== loc.mtimeMs) throw changed(loc, read, 'changed');
}

/** The file opened, checked by stat first and again once read (a rewrite while it streams). */
async function openLocal(
  loc: ExternalLocation,
  read: ExternalRead,
): Promise<{ stream: Readable; recheck: () => Promise<void> }> {
  const fh = await openLocalHandle(loc, read);
  try {
    await checkStat(fh, loc, read);
  } catch (err) {
    await fh.close();
    throw err;
  }
  if (read.size === 0) {
    await fh.close();
    return { stream: Readable.from([]), recheck: async () => {} };
  }
  const start = read.range?.start ?? 0;
  const end = Math.min(read.range?.end ?? read.size - 1, read.size - 1);
  const stream = fh.createReadStream({ start, end, autoClose: false, signal: read.signal });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await fh.close();
  };
  stream.once('close', () => void close().catch(() => {}));
  return {
    stream,
    recheck: async () => {
      try {
        await checkStat(fh, loc, read);
      } finally {
        await close();
      }
    },
  };
}

/** Passes `source` through, failing at its end when the bytes counted differ or `recheck` fails. */
function countChecked(
  source: Readable,
  expected: number,
  mismatch: () => Error,
  recheck?: () => Promise<void>,
): Readable {
  let count = 0;
  const check = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      count += chunk.length;
      if (count > expected) return cb(mismatch());
      cb(null, chunk);
    },
    flush(cb) {
      if (count !== expected) return cb(mismatch());
      if (!recheck) return cb();
      recheck().then(
        () => cb(),
        (err: unknown) => cb(err as Error),
      );
    },
  });
  source.on('error', (err) => check.destroy(err));
  check.on('close', () => {
    if (!source.destroyed) source.destroy();
  });
  return source.pipe(check);
}

const registries = new WeakMap<ObjectStore, ExternalSources>();

/** The external-source registry of a repository's object store (made on first use). */
export function externalSourcesOf(store: ObjectStore): ExternalSources {
  let r = registries.get(store);
  if (!r) {
    r = new ExternalSources(store);
    registries.set(store, r);
  }
  return r;
}

/** Closes the S3 clients a store's registry opened (with the repository). */
export async function closeExternalSources(store: ObjectStore): Promise<void> {
  const r = registries.get(store);
  registries.delete(store);
  await r?.close();
}
