// ObjectStore on a local directory: key `a/b/c` is the file `<root>/a/b/c`. Puts are atomic (temp
// file in the same directory, fsync, rename), so a reader sees a whole object or none.
// Limitation of the layout: a key cannot also be a prefix directory of other keys (`a` and `a/b`).
import { randomBytes } from 'node:crypto';
import fs, { closeSync, type Dirent, fstatSync, openSync, readSync } from 'node:fs';
import {
  type FileHandle,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  unlink,
} from 'node:fs/promises';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import { addAbortSignal, type Readable } from 'node:stream';
import { promisify } from 'node:util';
import { InvalidArgumentError, ObjectNotFoundError } from '../common/errors.js';
import {
  checkRange,
  compareKeys,
  resolveRange,
  segmentProblem,
  TEMP_PREFIX,
  validateKey,
} from './keys.js';
import type { ByteRange, ObjectInfo, ObjectStore, OpOptions } from './object-store.js';
import { streamFileIn } from './put-file.js';
import { forEachConcurrent, type PutManyItems, type PutManyOptions } from './put-many.js';

export interface LocalFsStoreOptions {
  /** fsync each object and its directory before a put resolves (durability); default true. */
  fsync?: boolean;
}

const LIST_STAT_BATCH = 64;
const WRITE_FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL;
const fsWrite = promisify(
  (
    fd: number,
    buf: Uint8Array,
    offset: number,
    length: number,
    cb: (e: Error | null, n: number) => void,
  ) => fs.write(fd, buf, offset, length, null, (err, n) => cb(err, n)),
);
const fsFdatasync = promisify(fs.fdatasync);
const fsClose = promisify(fs.close);

export class LocalFsStore implements ObjectStore {
  readonly kind = 'local' as const;
  readonly uri: string;
  readonly root: string;
  private readonly fsync: boolean;
  private readonly tempBase = randomBytes(6).toString('hex');
  private tempCounter = 0;

  constructor(root: string, options: LocalFsStoreOptions = {}) {
    if (!isAbsolute(root)) {
      throw new InvalidArgumentError(`object store root must be an absolute path: ${root}`, {
        argument: 'root',
        reason: 'not absolute',
      });
    }
    this.root = resolve(root);
    this.uri = this.root;
    this.fsync = options.fsync ?? true;
  }

  async put(
    key: string,
    body: Uint8Array | Readable,
    opts: OpOptions & { size?: number } = {},
  ): Promise<void> {
    validateKey(key);
    opts.signal?.throwIfAborted();
    const dirsToSync = new Set<string>();
    await this.writeObject(key, body, opts, dirsToSync);
    await syncDirs(dirsToSync);
  }

  /**
   * Moves a local file in: a rename when it is on this store's filesystem (the spool of a gateway
   * PUT becomes the object without a second pass over its bytes), else a copy by streaming. The
   * file is fsynced before it becomes visible, like every object written here.
   */
  async putFile(key: string, file: string, opts: OpOptions = {}): Promise<void> {
    validateKey(key);
    opts.signal?.throwIfAborted();
    const target = this.pathOf(key);
    const dir = dirname(target);
    const dirsToSync = new Set<string>();
    if (this.fsync) {
      const fh = await open(file, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await rename(file, target);
        break;
      } catch (err) {
        const code = errCode(err);
        if (code === 'EXDEV') return streamFileIn(this, key, file, opts);
        if (code === 'EISDIR' || code === 'ENOTDIR') throw prefixConflict(key);
        if (code !== 'ENOENT' || attempt >= 2) throw err;
        await stat(file); // the spool itself missing is the caller's error, not a directory to make
        await this.makeDirs(key, dir, dirsToSync);
      }
    }
    if (this.fsync) dirsToSync.add(dir);
    await syncDirs(dirsToSync);
  }

  /**
   * Bulk put for imports: up to `concurrency` objects in flight, and each directory fsynced once
   * at the end instead of once per object. Objects become visible one by one, each atomically.
   */
  async putMany(items: PutManyItems, opts: PutManyOptions = {}): Promise<void> {
    const dirsToSync = new Set<string>();
    try {
      await forEachConcurrent(items, opts, async (item) => {
        validateKey(item.key);
        await this.writeObject(item.key, item.body, opts, dirsToSync);
      });
    } finally {
      // Also on failure: the objects already renamed into place should be durable.
      await syncDirs(dirsToSync);
    }
  }

  async get(key: string, opts: OpOptions & { range?: ByteRange } = {}): Promise<Uint8Array> {
    validateKey(key);
    checkRange(opts.range);
    opts.signal?.throwIfAborted();
    const path = this.pathOf(key);
    try {
      const small = readSmallSync(path, opts.range);
      if (small) return small;
      if (!opts.range) return await readFile(path, { signal: opts.signal });
      const fh = await open(path, 'r');
      try {
        const { size } = await fh.stat();
        const { start, end } = resolveRange(opts.range, size);
        const buf = Buffer.allocUnsafe(Math.max(0, end - start + 1));
        let filled = 0;
        while (filled < buf.length) {
          const { bytesRead } = await fh.read(buf, filled, buf.length - filled, start + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return filled === buf.length ? buf : buf.subarray(0, filled);
      } finally {
        await fh.close();
      }
    } catch (err) {
      throw notFoundOr(err, key);
    }
  }

  async getStream(key: string, opts: OpOptions & { range?: ByteRange } = {}): Promise<Readable> {
    validateKey(key);
    checkRange(opts.range);
    opts.signal?.throwIfAborted();
    let fh: FileHandle;
    try {
      fh = await open(this.pathOf(key), 'r');
    } catch (err) {
      throw notFoundOr(err, key);
    }
    try {
      // open() succeeds on a directory; a key naming one is a missing object.
      if (!(await fh.stat()).isFile()) throw new ObjectNotFoundError(`no object ${key}`, { key });
    } catch (err) {
      await fh.close();
      throw err;
    }
    const stream = fh.createReadStream({ start: opts.range?.start, end: opts.range?.end });
    return opts.signal ? addAbortSignal(opts.signal, stream) : stream;
  }

  async head(key: string, opts: OpOptions = {}): Promise<ObjectInfo | undefined> {
    validateKey(key);
    opts.signal?.throwIfAborted();
    try {
      const st = await stat(this.pathOf(key));
      return st.isFile() ? { key, size: st.size, lastModified: st.mtime } : undefined;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async delete(key: string, opts: OpOptions = {}): Promise<void> {
    validateKey(key);
    opts.signal?.throwIfAborted();
    try {
      await unlink(this.pathOf(key));
    } catch (err) {
      if (!isMissing(err) && errCode(err) !== 'EISDIR') throw err;
    }
  }

  async *list(
    prefix: string,
    opts: OpOptions & { after?: string } = {},
  ): AsyncIterable<ObjectInfo> {
    // Start at the deepest directory the prefix names; its last partial segment filters entries.
    const cut = prefix.lastIndexOf('/');
    const dirKey = cut < 0 ? '' : prefix.slice(0, cut + 1);
    const rest = prefix.slice(cut + 1);
    // A prefix whose directory part is not valid key segments cannot match any key.
    const dirSegments = dirKey === '' ? [] : dirKey.slice(0, -1).split('/');
    if (dirSegments.some((s) => segmentProblem(s) !== undefined)) return;
    yield* this.walk(dirKey, (name) => name.startsWith(rest), opts);
  }

  async close(): Promise<void> {}

  /** The file holding `key` (whether or not it exists): readers such as DuckDB can open it in place. */
  localPath(key: string): string {
    validateKey(key);
    return this.pathOf(key);
  }

  private pathOf(key: string): string {
    return this.root + sep + key;
  }

  /** Writes and renames one object; records the directories that need an fsync afterwards. */
  private async writeObject(
    key: string,
    body: Uint8Array | Readable,
    opts: OpOptions & { size?: number },
    dirsToSync: Set<string>,
  ): Promise<void> {
    const target = this.pathOf(key);
    const dir = dirname(target);
    const { fd, tmp } = await this.openTemp(key, dir, dirsToSync);
    // Both writers close the fd, and remove the temp file if they fail.
    if (body instanceof Uint8Array) await writeAndClose(fd, tmp, body, this.fsync);
    else await writeStreamAndClose(fd, tmp, body, this.fsync, opts, key);
    try {
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      if (errCode(err) === 'EISDIR') throw prefixConflict(key);
      throw err;
    }
    if (this.fsync) dirsToSync.add(dir);
  }

  /** Creates a fresh temp file next to the target, making missing parent directories. */
  private async openTemp(
    key: string,
    dir: string,
    dirsToSync: Set<string>,
  ): Promise<{ fd: number; tmp: string }> {
    for (let attempt = 0; ; attempt++) {
      const tmp = `${dir}${sep}${TEMP_PREFIX}${this.tempBase}-${(this.tempCounter++).toString(36)}`;
      try {
        return { fd: await openExclusive(tmp), tmp };
      } catch (err) {
        const code = errCode(err);
        if (code === 'ENOTDIR') throw prefixConflict(key);
        if (attempt >= 3 || (code !== 'ENOENT' && code !== 'EEXIST')) throw err;
        if (code === 'ENOENT') await this.makeDirs(key, dir, dirsToSync);
      }
    }
  }

  /** mkdir -p; new directory entries must be fsynced too for the object to survive a crash. */
  private async makeDirs(key: string, dir: string, dirsToSync: Set<string>): Promise<void> {
    let first: string | undefined;
    try {
      first = await mkdir(dir, { recursive: true });
    } catch (err) {
      const code = errCode(err);
      if (code === 'EEXIST' || code === 'ENOTDIR') throw prefixConflict(key);
      throw err;
    }
    if (!this.fsync || first === undefined) return;
    // Each new directory's entry lives in its parent: sync from `first`'s parent down to `dir`.
    const top = dirname(first);
    for (let d = dir; ; d = dirname(d)) {
      dirsToSync.add(d);
      if (d === top || d === dirname(d)) break;
    }
  }

  /** Depth-first walk in key order; each directory is read and sorted on its own, lazily. */
  private async *walk(
    dirKey: string,
    filter: (name: string) => boolean,
    opts: OpOptions & { after?: string },
  ): AsyncGenerator<ObjectInfo> {
    opts.signal?.throwIfAborted();
    const after = opts.after;
    let entries: Dirent[];
    try {
      entries = await readdir(dirKey ? this.pathOf(dirKey) : this.root, { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    // A directory `d` holds keys starting `d/`, so it sorts as `d/` among its sibling files.
    const items: { name: string; isDir: boolean; sortKey: string }[] = [];
    for (const e of entries) {
      const isDir = e.isDirectory();
      if (!isDir && !e.isFile()) continue;
      if (!filter(e.name) || segmentProblem(e.name) !== undefined) continue; // also skips temp files
      items.push({ name: e.name, isDir, sortKey: isDir ? `${e.name}/` : e.name });
    }
    items.sort((a, b) => compareKeys(a.sortKey, b.sortKey));

    let batch: string[] = [];
    for (const item of items) {
      const key = dirKey + item.sortKey;
      if (after !== undefined && compareKeys(key, after) <= 0) {
        // Files at or before `after` are skipped; a directory only if `after` is past all of it.
        if (!item.isDir || !after.startsWith(key)) continue;
      }
      if (!item.isDir) {
        batch.push(key);
        if (batch.length < LIST_STAT_BATCH) continue;
      }
      yield* await this.statAll(batch);
      batch = [];
      if (item.isDir) yield* this.walk(key, () => true, opts);
    }
    yield* await this.statAll(batch);
  }

  /** Stats a batch of keys concurrently (one stat per listed key is the cost of ObjectInfo). */
  private async statAll(keys: string[]): Promise<ObjectInfo[]> {
    const infos = await Promise.all(keys.map((k) => this.head(k)));
    return infos.filter((i): i is ObjectInfo => i !== undefined);
  }
}

// The small-object path uses fs callbacks: each FileHandle promise costs an extra ~10-30 µs, which
// adds up over 100,000 objects in an import.
function openExclusive(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.open(path, WRITE_FLAGS, 0o644, (err, fd) => (err ? reject(err) : resolve(fd)));
  });
}

function writeAndClose(fd: number, tmp: string, body: Uint8Array, sync: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => fs.close(fd, () => fs.unlink(tmp, () => reject(err)));
    const close = () =>
      fs.close(fd, (err) => (err ? fs.unlink(tmp, () => reject(err)) : resolve()));
    const write = (offset: number): void => {
      if (offset < body.length) {
        fs.write(fd, body, offset, body.length - offset, null, (err, n) =>
          err ? fail(err) : write(offset + n),
        );
      } else if (sync) {
        fs.fdatasync(fd, (err) => (err ? fail(err) : close()));
      } else {
        close();
      }
    };
    write(0);
  });
}

async function writeStreamAndClose(
  fd: number,
  tmp: string,
  body: Readable,
  sync: boolean,
  opts: OpOptions & { size?: number },
  key: string,
): Promise<void> {
  let closed = false;
  try {
    let written = 0;
    for await (const chunk of body) {
      opts.signal?.throwIfAborted();
      const buf: Uint8Array = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      for (let offset = 0; offset < buf.length; ) {
        offset += await fsWrite(fd, buf, offset, buf.length - offset);
      }
      written += buf.length;
    }
    opts.signal?.throwIfAborted();
    if (opts.size !== undefined && written !== opts.size) {
      throw new InvalidArgumentError(
        `object ${key}: stream had ${written} bytes, expected ${opts.size}`,
        { argument: 'size', reason: 'does not match the stream length' },
      );
    }
    if (sync) await fsFdatasync(fd);
    closed = true;
    await fsClose(fd);
  } catch (err) {
    if (!closed) await fsClose(fd).catch(() => {});
    await rm(tmp, { force: true });
    throw err;
  }
}

function syncDirs(dirs: Iterable<string>): Promise<unknown> {
  return Promise.all(Array.from(dirs, syncDir));
}

function syncDir(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.open(dir, 'r', (err, fd) => {
      if (err) return reject(err);
      fs.fsync(fd, (syncErr) =>
        fs.close(fd, (closeErr) => {
          const e = syncErr ?? closeErr;
          return e ? reject(e) : resolve();
        }),
      );
    });
  });
}

function prefixConflict(key: string): InvalidArgumentError {
  const reason = 'a key cannot also be a prefix directory of other keys in a local store';
  return new InvalidArgumentError(`object key ${JSON.stringify(key)}: ${reason}`, {
    argument: 'key',
    reason,
  });
}

function errCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}

function isMissing(err: unknown): boolean {
  const code = errCode(err);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function notFoundOr(err: unknown, key: string): unknown {
  if (isMissing(err) || errCode(err) === 'EISDIR') {
    return new ObjectNotFoundError(`no object ${key}`, { key }, { cause: err });
  }
  return err;
}

/** Reads at most this much synchronously: thread-pool round trips cost more than the read. */
const SYNC_READ_LIMIT = 1024 * 1024;

/**
 * Reads a small object (or a small range of one) with blocking calls: on ordinary disks the four
 * async round trips of fs/promises cost several times the read itself, and tree nodes and packed
 * objects are small. Returns undefined when the object is too large, for the async path.
 */
function readSmallSync(path: string, range: ByteRange | undefined): Buffer | undefined {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const { start, end } = range ? resolveRange(range, size) : { start: 0, end: size - 1 };
    const length = Math.max(0, end - start + 1);
    if (length > SYNC_READ_LIMIT) return undefined;
    const buf = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const n = readSync(fd, buf, filled, length - filled, start + filled);
      if (n === 0) break;
      filled += n;
    }
    return filled === length ? buf : buf.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}
