// Zero-copy import of an S3 prefix (s3rver): entries point at the objects by URI and ETag, no byte
// copied; an overwritten or deleted object is ExternalObjectChangedError (s3rver ignores If-Match,
// so the answer's ETag is what catches it) and fsck reports it; export-ref writes a ref back to S3
// byte for byte. A repository on S3 reads sources in its own bucket with its own connection, and
// refuses a source or destination inside its storage.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import { ExternalObjectChangedError, InvalidArgumentError } from '../../src/common/errors.js';
import { Repository } from '../../src/core/repository.js';
import { openSqliteMetaStore } from '../../src/meta/sqlite-meta-store.js';
import { openS3Store, type S3Store } from '../../src/storage/s3-store.js';
import { type S3TestServer, startS3Server } from '../support/s3-server.js';
import { added, footprint, readTree, snapshot } from './support.js';

let s3: S3TestServer;
let dir: string;
let lake: S3Store;
const ENV = ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'];
const saved: Record<string, string | undefined> = {};

const conn = () => ({
  endpoint: s3.endpoint,
  region: s3.region,
  credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
});

/** The objects written to s3://bucket/lake/… */
const objects = new Map<string, Buffer>();

beforeAll(async () => {
  s3 = await startS3Server();
  lake = await openS3Store(`s3://${s3.bucket}/lake`, conn());
  for (let i = 0; i < 30; i++) {
    const rel = `y=${2020 + (i % 3)}/part-${i}.csv`;
    objects.set(rel, Buffer.from(`id,v\n${i},${'v'.repeat(i * 10)}\n`));
  }
  objects.set('big/blob.bin', Buffer.alloc(300_000, 'b'));
  for (const [rel, bytes] of objects) await lake.put(rel, bytes);
}, 60_000);
afterAll(async () => {
  await lake.close();
  await s3.stop();
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-import-s3-'));
  for (const k of ENV) saved[k] = process.env[k];
});
afterEach(() => {
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  rmSync(dir, { recursive: true, force: true });
});

async function reason(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExternalObjectChangedError);
  return (err as ExternalObjectChangedError).data.reason;
}

describe('import of an S3 prefix', () => {
  it('into a local repository through the AWS environment: no byte copied, reads verified', {
    timeout: 60_000,
  }, async () => {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: s3.endpoint,
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      AWS_REGION: s3.region,
    });
    const repo = await initRepository(join(dir, 'repo'), { committer: 't' });
    try {
      const before = await footprint(repo.store);
      const r = await repo.importExternal(`s3://${s3.bucket}/lake/`, {
        branch: 'main',
        prefix: 'landing',
      });
      expect(r.objects).toBe(objects.size);
      const grown = added(before, await footprint(repo.store));
      expect(grown.keys.filter((k) => k.startsWith('data/'))).toEqual([]);
      expect(grown.bytes).toBeLessThan(300_000 / 4);

      for (const [rel, bytes] of objects)
        expect(Buffer.from(await repo.getObject('main', `landing/${rel}`))).toEqual(bytes);
      const e = await repo.stat('main', 'landing/big/blob.bin');
      expect(e.external).toEqual({ uri: `s3://${s3.bucket}/lake/big/blob.bin`, etag: e.etag });
      expect(e.etag).toMatch(/^[0-9a-f]{32}$/);
      expect(e.checksum).toBe('');
      expect(e.mtime).toBeGreaterThan(Date.now() - 3_600_000);
      const whole = await repo.openObject('main', 'landing/big/blob.bin');
      expect((await text(whole.stream)).length).toBe(300_000);
      const part = await repo.openObject('main', 'landing/big/blob.bin', {
        range: { start: 5, end: 14 },
      });
      expect(await text(part.stream)).toBe('b'.repeat(10));

      // Export back to S3 and to a directory: the same tree, byte for byte.
      await repo.exportRef('main', `s3://${s3.bucket}/out`, { prefix: 'landing' });
      const out = await openS3Store(`s3://${s3.bucket}/out`, conn());
      try {
        for (const [rel, bytes] of objects) expect(Buffer.from(await out.get(rel))).toEqual(bytes);
        await expect(
          repo.exportRef('main', `s3://${s3.bucket}/out`, { prefix: 'landing' }),
        ).rejects.toBeInstanceOf(InvalidArgumentError);
      } finally {
        await out.close();
      }
      await repo.exportRef('main', join(dir, 'tree'), { prefix: 'landing' });
      expect(readTree(join(dir, 'tree'))).toEqual(objects);

      // Overwritten (another ETag) and deleted behind Sluice's back.
      await lake.put('y=2020/part-0.csv', Buffer.from('id,v\n0,changed\n'));
      await lake.delete('y=2021/part-1.csv');
      expect(await reason(repo.getObject('main', 'landing/y=2020/part-0.csv'))).toBe('changed');
      await lake.put('big/blob.bin', Buffer.alloc(300_000, 'c')); // same size, another ETag
      expect(
        await reason(
          repo.openObject('main', 'landing/big/blob.bin').then(async (o) => text(o.stream)),
        ),
      ).toBe('changed');
      expect(
        await reason(
          repo
            .openObject('main', 'landing/big/blob.bin', { range: { start: 0, end: 1 } })
            .then(async (o) => text(o.stream)),
        ),
      ).toBe('changed');
      expect(await reason(repo.getObject('main', 'landing/y=2021/part-1.csv'))).toBe('vanished');
      for (const verifyData of [true, false]) {
        const report = await repo.fsck({ verifyData });
        expect(report.problems.map((p) => p.code).sort()).toEqual([
          'ExternalObjectChangedError',
          'ExternalObjectChangedError',
          'ExternalObjectChangedError',
        ]);
      }
    } finally {
      await lake.put('y=2020/part-0.csv', objects.get('y=2020/part-0.csv') as Buffer);
      await lake.put('y=2021/part-1.csv', objects.get('y=2021/part-1.csv') as Buffer);
      await lake.put('big/blob.bin', objects.get('big/blob.bin') as Buffer);
      await repo.close();
    }
  });

  it('a repository on S3 reads its own bucket with its own connection; its storage is refused', {
    timeout: 60_000,
  }, async () => {
    for (const k of ENV) delete process.env[k];
    const meta = await openSqliteMetaStore(join(dir, 'meta.db'));
    const store = await openS3Store(`s3://${s3.bucket}/repo`, conn());
    const repo = await Repository.init(meta, store, { name: 's3', committer: 't' });
    try {
      await repo.putObject('main', 'seed.txt', Buffer.from('seed'));
      await repo.commit('main', { message: 'seed' });
      const r = await repo.importExternal(`s3://${s3.bucket}/lake/y=2022`, { branch: 'main' });
      expect(r.objects).toBe(10);
      expect(Buffer.from(await repo.getObject('main', 'part-2.csv'))).toEqual(
        objects.get('y=2022/part-2.csv'),
      );
      const was = await snapshot(repo);
      for (const source of [`s3://${s3.bucket}/repo/data`, `s3://${s3.bucket}`]) {
        const err = await repo.importExternal(source, { branch: 'main' }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(InvalidArgumentError);
        expect((err as InvalidArgumentError).data.reason).toBe('inside the repository storage');
      }
      await expect(repo.exportRef('main', `s3://${s3.bucket}/repo/out`)).rejects.toBeInstanceOf(
        InvalidArgumentError,
      );
      expect(await snapshot(repo)).toBe(was);
    } finally {
      await repo.close();
    }
  });
});
