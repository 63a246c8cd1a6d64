// Local files for objects, for engines that read files (DuckDB). On a local store an object stored
// whole (`data/<address>`) is read in place. Anything else — an object inside a pack, or any object
// on S3 — is copied once into a content-addressed cache: `<dir>/<aa>/<address>`. An address names
// immutable content, so a cached file is never stale; it is verified against its address while it
// is copied, and the cache is kept under a size cap by deleting the least recently used files.
// An imported (external) object is checked where it lives (a stat or HEAD) on every use, cached or
// not: one that changed behind Sluice's back fails the query (ExternalObjectChangedError).
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { dataKey } from '../core/layout.js';
import { type Located, objectExists, openVerified } from '../core/object-io.js';
import type { ObjectStore } from '../storage/object-store.js';

export interface ObjectCacheOptions {
  /** The cache directory. */
  dir: string;
  /** Size cap in bytes; default 10 GiB. Files used by the current operation are never evicted. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 10 * 1024 ** 3;

export class ObjectCache {
  readonly dir: string;
  private readonly maxBytes: number;
  /** Files handed out by this cache instance: kept until it is done. */
  private readonly pinned = new Set<string>();
  /** Bytes in the cache directory, computed on first insert. */
  private total: number | undefined;

  constructor(
    private readonly store: ObjectStore,
    opts: ObjectCacheOptions,
  ) {
    this.dir = opts.dir;
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  /** Bytes fetched into the cache by this instance (for reports and tests). */
  fetchedBytes = 0;

  /** A local file holding exactly the object's bytes. */
  async fileFor(obj: Located): Promise<string> {
    if (obj.external) await objectExists(this.store, obj);
    else if (obj.physical === undefined && this.store.localPath) {
      const path = this.store.localPath(dataKey(obj.address));
      if (existsSync(path)) return path;
    }
    const path = join(this.dir, obj.address.slice(0, 2), obj.address);
    this.pinned.add(path);
    try {
      const now = new Date();
      await utimes(path, now, now); // most recently used
      return path;
    } catch {
      // not cached yet
    }
    mkdirSync(join(this.dir, obj.address.slice(0, 2)), { recursive: true });
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const out = createWriteStream(temp);
    try {
      await pipeline(await openVerified(this.store, obj), out);
      await rename(temp, path);
    } catch (err) {
      // A failed read can reject before the write stream has even opened its file: wait for it to
      // close, or the file would appear after the removal (a stray .tmp in the cache).
      out.destroy();
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      await rm(temp, { force: true });
      throw err;
    }
    this.fetchedBytes += obj.size;
    await this.account(obj.size);
    return path;
  }

  private async account(added: number): Promise<void> {
    if (this.total === undefined) this.total = (await this.files()).reduce((n, f) => n + f.size, 0);
    else this.total += added;
    if (this.total <= this.maxBytes) return;
    const files = (await this.files()).sort((a, b) => a.mtimeMs - b.mtimeMs);
    this.total = files.reduce((n, f) => n + f.size, 0);
    for (const f of files) {
      if (this.total <= this.maxBytes) break;
      if (this.pinned.has(f.path)) continue;
      await rm(f.path, { force: true });
      this.total -= f.size;
    }
  }

  private async files(): Promise<{ path: string; size: number; mtimeMs: number }[]> {
    const out: { path: string; size: number; mtimeMs: number }[] = [];
    let dirs: string[];
    try {
      dirs = await readdir(this.dir);
    } catch {
      return out;
    }
    for (const d of dirs) {
      if (!/^[0-9a-f]{2}$/.test(d)) continue;
      for (const name of await readdir(join(this.dir, d))) {
        if (name.endsWith('.tmp')) continue;
        const path = join(this.dir, d, name);
        try {
          const st = await stat(path);
          out.push({ path, size: st.size, mtimeMs: st.mtimeMs });
        } catch {
          // removed meanwhile by another process
        }
      }
    }
    return out;
  }
}
