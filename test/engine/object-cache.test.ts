// The local cache DuckDB reads through: objects stored whole on a local disk are read in place,
// everything else (packed objects, S3) is copied once, verified, and kept under a size cap.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import { hashBlob } from '../../src/common/hash.js';
import type { ObjectAddress } from '../../src/common/ids.js';
import type { Repository } from '../../src/core/repository.js';
import { Repository as CoreRepository } from '../../src/core/repository.js';
import { ObjectCache } from '../../src/engine/object-cache.js';
import { withSqlSession } from '../../src/engine/session.js';
import { openSqliteMetaStore } from '../../src/meta/sqlite-meta-store.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { openS3Store } from '../../src/storage/s3-store.js';
import { ingest } from '../../src/tables/ingest.js';
import { type S3TestServer, startS3Server } from '../support/s3-server.js';

const enc = (s: string) => Buffer.from(s);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function cachedFiles(cacheDir: string): string[] {
  if (!existsSync(cacheDir)) return [];
  return readdirSync(cacheDir).flatMap((d) =>
    readdirSync(join(cacheDir, d)).map((f) => join(d, f)),
  );
}

describe('ObjectCache', () => {
  it('reads whole objects in place on a local store, copies packed ones once', async () => {
    const repo = await initRepository(join(dir, 'repo'), { committer: 't' });
    try {
      const [loose] = await repo.putObjects('main', [
        { path: 'big', body: { size: 5, open: () => streamOf('loose') } },
      ]);
      const packed = await repo.putObjects('main', [
        { path: 'p1', body: enc('packed one') },
        { path: 'p2', body: enc('packed two') },
      ]);
      expect(packed[0]?.physical).toMatch(/^pack:/);
      const cacheDir = join(dir, 'cache');
      const cache = new ObjectCache(repo.store, { dir: cacheDir });
      const inPlace = await cache.fileFor(loose!);
      expect(inPlace.startsWith(join(dir, 'repo', '.sluice', 'objects'))).toBe(true);
      expect(readFileSync(inPlace, 'utf8')).toBe('loose');
      const p1 = await cache.fileFor(packed[0]!);
      expect(p1.startsWith(cacheDir)).toBe(true);
      expect(readFileSync(p1, 'utf8')).toBe('packed one');
      expect(cache.fetchedBytes).toBe(10);
      // A second request is served from the cache, by another instance too.
      const again = new ObjectCache(repo.store, { dir: cacheDir });
      expect(await again.fileFor(packed[0]!)).toBe(p1);
      expect(again.fetchedBytes).toBe(0);
    } finally {
      await repo.close();
    }
  });

  it('verifies what it copies: a damaged object leaves no cache file and fails', async () => {
    const store = new MemoryStore();
    const body = enc('the real content');
    const blob = hashBlob(body);
    const address = blob.address as ObjectAddress;
    await store.put(`data/${address.slice(0, 2)}/${address}`, enc('something else!!'));
    const cacheDir = join(dir, 'cache');
    const cache = new ObjectCache(store, { dir: cacheDir });
    await expect(cache.fileFor({ address, size: blob.size })).rejects.toMatchObject({
      code: 'ObjectCorruptedError',
    });
    expect(cachedFiles(cacheDir)).toEqual([]);
  });

  it('stays under its size cap by evicting the least recently used files, never the ones in use', async () => {
    const store = new MemoryStore();
    const objects: { address: string; size: number }[] = [];
    for (let i = 0; i < 6; i++) {
      const body = enc(`object number ${i} `.repeat(50)); // ~900 bytes each
      const b = hashBlob(body);
      await store.put(`data/${b.address.slice(0, 2)}/${b.address}`, body);
      objects.push({ address: b.address, size: b.size });
    }
    const cacheDir = join(dir, 'cache');
    for (const o of objects.slice(0, 4)) await new ObjectCache(store, { dir: cacheDir }).fileFor(o);
    expect(cachedFiles(cacheDir)).toHaveLength(4);
    // A new operation with a cap of about three objects: it needs objects 4 and 5.
    const cap = (objects[0]?.size ?? 0) * 3 + 10;
    const op = new ObjectCache(store, { dir: cacheDir, maxBytes: cap });
    const a = await op.fileFor(objects[4]!);
    const b = await op.fileFor(objects[5]!);
    const left = cachedFiles(cacheDir);
    expect(left.length).toBeLessThanOrEqual(3);
    expect(existsSync(a) && existsSync(b)).toBe(true);
    // The oldest ones went first.
    expect(left.some((f) => f.endsWith(objects[0]!.address))).toBe(false);
  });
});

describe('SQL on a repository whose objects are on S3', () => {
  let s3: S3TestServer;
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(async () => {
    await s3.stop();
  });

  it('tables ingested to S3 are queried through the local cache', { timeout: 60_000 }, async () => {
    const meta = await openSqliteMetaStore(join(dir, 'meta.db'));
    const store = await openS3Store(`s3://${s3.bucket}/cache-test`, {
      endpoint: s3.endpoint,
      region: s3.region,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    const repo: Repository = await CoreRepository.init(meta, store, { name: 's3', committer: 't' });
    try {
      const csv = join(dir, 'o.csv');
      writeFileSync(csv, 'id,name\n1,a\n2,b\n3,c\n');
      await ingest(repo, csv, { table: 'orders', commit: { message: 'load' } });
      const cacheDir = join(dir, 's3-cache');
      const rows = await withSqlSession(repo, { cacheDir }, (s) =>
        s.duck.query("SELECT count(*) AS n, string_agg(name, '' ORDER BY id) AS names FROM orders"),
      );
      expect(rows.rows).toEqual([{ n: '3', names: 'abc' }]);
      expect(cachedFiles(cacheDir)).toHaveLength(1);
    } finally {
      await repo.close();
    }
  });
});

/** A one-chunk stream: putObjects stores stream bodies whole (never packed). */
const streamOf = (text: string): Readable => Readable.from([Buffer.from(text)]);
