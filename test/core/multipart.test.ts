// Multipart uploads and conditional writes end to end on a temp repository (SQLite metadata, the
// local object store): the bytes, checksum and S3 ETag of a completed upload computed here
// independently with node:crypto; S3's refusals (order, ETag, size) staging nothing; abort and GC
// leaving no part behind; UploadPartCopy of a range; If-None-Match; protected branches; and the
// single-pass spool (hashingSpool) whose file becomes the object.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProtectedBranchError } from '../../src/common/errors.js';
import { hashBlob } from '../../src/common/hash.js';
import { hashingSpool } from '../../src/core/hashing-spool.js';
import { Repository } from '../../src/core/repository.js';
import { openSqliteMetaStore } from '../../src/meta/sqlite-meta-store.js';
import { LocalFsStore } from '../../src/storage/local-fs-store.js';

const MiB = 1024 * 1024;
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

let dir: string;
let repo: Repository;
let store: LocalFsStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-multipart-'));
  const meta = await openSqliteMetaStore(join(dir, 'meta.db'));
  store = new LocalFsStore(join(dir, 'objects'));
  repo = await Repository.init(meta, store, { name: 'r', committer: 'ana' });
});
afterEach(async () => {
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
});

const partKeys = async (uploadId?: string) =>
  (await all(store.list(uploadId ? `tmp/uploads/${uploadId}/` : 'tmp/uploads/'))).map((i) => i.key);
const staged = async () => (await all(repo.status('main'))).map((c) => c.path);

describe('multipart uploads', () => {
  it('completes three parts into one object with the md5-of-md5s ETag, then forgets the upload', async () => {
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(1234)];
    const up = await repo.createMultipartUpload('main', 'big/file.bin', {
      contentType: 'application/x-test',
      metadata: { owner: 'ana' },
    });
    expect(up.uploadId).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(up.initiator).toBe('ana');
    // Out of order, one as bytes, one as a stream with the caller's MD5, one as a stream without.
    const p3 = await repo.uploadPart(up.uploadId, 3, parts[2] as Buffer);
    const p1 = await repo.uploadPart(
      up.uploadId,
      1,
      { size: 5 * MiB, open: () => Readable.from([parts[0] as Buffer]) },
      { md5: md5(parts[0] as Buffer), checksums: { crc32: 'AAAAAA==' } },
    );
    const p2 = await repo.uploadPart(up.uploadId, 2, {
      size: 5 * MiB,
      open: () => Readable.from([parts[1] as Buffer]),
    });
    expect([p1.etag, p2.etag, p3.etag]).toEqual(parts.map(md5));
    const listed = await repo.listParts(up.uploadId);
    expect(listed.parts.map((p) => [p.partNumber, p.size])).toEqual([
      [1, 5 * MiB],
      [2, 5 * MiB],
      [3, 1234],
    ]);
    expect(listed.parts[0]?.checksums).toEqual({ crc32: 'AAAAAA==' });
    expect((await repo.listMultipartUploads()).uploads.map((u) => u.uploadId)).toEqual([
      up.uploadId,
    ]);

    const entry = await repo.completeMultipartUpload(up.uploadId, [
      { partNumber: 1, etag: `"${p1.etag}"` },
      { partNumber: 2, etag: p2.etag },
      { partNumber: 3, etag: p3.etag },
    ]);
    const whole = Buffer.concat(parts);
    const expectedEtag = `${createHash('md5')
      .update(Buffer.concat(parts.map((p) => Buffer.from(md5(p), 'hex'))))
      .digest('hex')}-3`;
    expect(entry.etag).toBe(expectedEtag);
    expect(entry.size).toBe(whole.byteLength);
    expect(entry.checksum).toBe(sha256(whole));
    expect(entry.address).toBe(hashBlob(whole).address);
    const stat = await repo.stat('main', 'big/file.bin');
    expect(stat).toMatchObject({
      etag: expectedEtag,
      contentType: 'application/x-test',
      metadata: { owner: 'ana' },
    });
    expect(Buffer.from(await repo.getObject('main', 'big/file.bin')).equals(whole)).toBe(true);
    // The upload is gone: records and parts.
    expect(await partKeys()).toEqual([]);
    await expect(repo.listParts(up.uploadId)).rejects.toMatchObject({
      code: 'UploadNotFoundError',
    });
    expect((await repo.listMultipartUploads()).uploads).toEqual([]);
    // And the entry commits with its ETag.
    await repo.commit('main', { message: 'multipart' });
    expect((await repo.stat('main', 'big/file.bin')).etag).toBe(expectedEtag);
  });

  it('a re-uploaded part replaces the earlier one (record and bytes); parts may skip numbers', async () => {
    const up = await repo.createMultipartUpload('main', 'f');
    const first = randomBytes(5 * MiB);
    const second = randomBytes(5 * MiB);
    await repo.uploadPart(up.uploadId, 2, first);
    const again = await repo.uploadPart(up.uploadId, 2, second);
    const last = await repo.uploadPart(up.uploadId, 7, Buffer.from('tail'));
    expect(await partKeys(up.uploadId)).toHaveLength(2);
    await expect(
      repo.completeMultipartUpload(up.uploadId, [
        { partNumber: 2, etag: md5(first) },
        { partNumber: 7, etag: last.etag },
      ]),
    ).rejects.toMatchObject({ code: 'InvalidPartError' });
    const entry = await repo.completeMultipartUpload(up.uploadId, [
      { partNumber: 2, etag: again.etag },
      { partNumber: 7, etag: last.etag },
    ]);
    expect(entry.checksum).toBe(sha256(Buffer.concat([second, Buffer.from('tail')])));
  });

  it('refuses out-of-order, unknown, wrong-ETag and too-small parts, staging nothing', async () => {
    const up = await repo.createMultipartUpload('main', 'f');
    const small = await repo.uploadPart(up.uploadId, 1, Buffer.from('too small'));
    const big = await repo.uploadPart(up.uploadId, 2, randomBytes(5 * MiB));
    const tail = await repo.uploadPart(up.uploadId, 3, Buffer.from('x'));
    const cases: [{ partNumber: number; etag: string }[], string][] = [
      [
        [
          { partNumber: 2, etag: big.etag },
          { partNumber: 1, etag: small.etag },
        ],
        'InvalidPartOrderError',
      ],
      [
        [
          { partNumber: 2, etag: big.etag },
          { partNumber: 2, etag: big.etag },
        ],
        'InvalidPartOrderError',
      ],
      [[{ partNumber: 4, etag: tail.etag }], 'InvalidPartError'],
      [[{ partNumber: 3, etag: big.etag }], 'InvalidPartError'],
      [
        [
          { partNumber: 1, etag: small.etag },
          { partNumber: 3, etag: tail.etag },
        ],
        'EntityTooSmallError',
      ],
      [[], 'InvalidArgumentError'],
    ];
    for (const [named, code] of cases)
      await expect(repo.completeMultipartUpload(up.uploadId, named)).rejects.toMatchObject({
        code,
      });
    expect(await staged()).toEqual([]);
    // The upload survives refusals; a right request then completes it.
    await repo.completeMultipartUpload(up.uploadId, [
      { partNumber: 2, etag: big.etag },
      { partNumber: 3, etag: tail.etag },
    ]);
    expect(await staged()).toEqual(['f']);
  });

  it('abort removes the records and every part object; parts for it are refused after', async () => {
    const up = await repo.createMultipartUpload('main', 'f');
    await repo.uploadPart(up.uploadId, 1, randomBytes(1000));
    await repo.uploadPart(up.uploadId, 2, randomBytes(1000));
    expect(await partKeys(up.uploadId)).toHaveLength(2);
    await repo.abortMultipartUpload(up.uploadId);
    expect(await partKeys()).toEqual([]);
    await expect(repo.uploadPart(up.uploadId, 3, Buffer.from('late'))).rejects.toMatchObject({
      code: 'UploadNotFoundError',
    });
    await expect(repo.abortMultipartUpload(up.uploadId)).rejects.toMatchObject({
      code: 'UploadNotFoundError',
    });
    expect(await partKeys()).toEqual([]);
    expect(await staged()).toEqual([]);
  });

  it('GC keeps the parts of live uploads and removes stale uploads with their parts', async () => {
    const day = 86_400_000;
    const live = await repo.createMultipartUpload('main', 'live');
    await repo.uploadPart(live.uploadId, 1, randomBytes(100));
    // An upload started 8 days ago (the record written as a replica would have then).
    await repo.meta.createUpload('r', {
      id: 'old-upload',
      branch: 'main',
      path: 'old',
      initiator: 'bob',
      createdAt: new Date(Date.now() - 8 * day),
      metadata: {},
    });
    await repo.uploadPart('old-upload', 1, randomBytes(100));
    await repo.uploadPart('old-upload', 2, randomBytes(100));
    const dry = await repo.gc({ dryRun: true });
    expect(dry).toMatchObject({ uploadsDeleted: 1, uploadPartsDeleted: 2 });
    expect(await partKeys()).toHaveLength(3);
    const report = await repo.gc();
    expect(report).toMatchObject({ uploadsDeleted: 1, uploadPartsDeleted: 2 });
    expect(await partKeys()).toEqual(await partKeys(live.uploadId));
    expect(await partKeys()).toHaveLength(1);
    expect((await repo.listMultipartUploads()).uploads.map((u) => u.uploadId)).toEqual([
      live.uploadId,
    ]);
    // With a retention shorter than its age, the live one goes too.
    expect(
      await repo.gc({ now: new Date(Date.now() + 2 * day), uploadRetentionDays: 1 }),
    ).toMatchObject({ uploadsDeleted: 1, uploadPartsDeleted: 1 });
    expect(await partKeys()).toEqual([]);
  });

  it('GC removes part objects whose upload record is gone, and leaves a live upload alone', async () => {
    const gone = await repo.createMultipartUpload('main', 'gone');
    await repo.uploadPart(gone.uploadId, 1, randomBytes(100));
    const live = await repo.createMultipartUpload('main', 'live');
    await repo.uploadPart(live.uploadId, 1, randomBytes(100));
    await repo.meta.deleteUpload('r', gone.uploadId); // as a crash between record and parts would
    const report = await repo.gc({ now: new Date(Date.now() + 2 * 3_600_000) });
    expect(report).toMatchObject({ uploadsDeleted: 0, uploadPartsDeleted: 1 });
    expect(await partKeys()).toEqual(await partKeys(live.uploadId));
    expect(await partKeys()).toHaveLength(1);
  });

  it('UploadPartCopy copies a byte range of an object at another ref', async () => {
    const src = randomBytes(6 * MiB);
    await repo.putObject('main', 'src.bin', src);
    await repo.commit('main', { message: 'src' });
    await repo.createBranch('dev', { from: 'main' });
    await repo.deleteObjects('main', ['src.bin']);
    const up = await repo.createMultipartUpload('dev', 'copy.bin');
    const c1 = await repo.uploadPartCopy(up.uploadId, 1, {
      ref: 'dev',
      path: 'src.bin',
      range: { start: 100, end: 100 + 5 * MiB - 1 },
    });
    const c2 = await repo.uploadPartCopy(up.uploadId, 2, { ref: 'dev', path: 'src.bin' });
    const want1 = src.subarray(100, 100 + 5 * MiB);
    expect(c1).toMatchObject({ size: 5 * MiB, etag: md5(want1) });
    expect(c2).toMatchObject({ size: src.byteLength, etag: md5(src) });
    const entry = await repo.completeMultipartUpload(up.uploadId, [
      { partNumber: 1, etag: c1.etag },
      { partNumber: 2, etag: c2.etag },
    ]);
    expect(entry.checksum).toBe(sha256(Buffer.concat([want1, src])));
  });

  it('ifAbsent on complete refuses an existing path and stages nothing', async () => {
    await repo.putObject('main', 'taken', Buffer.from('old'));
    const up = await repo.createMultipartUpload('main', 'taken');
    const p = await repo.uploadPart(up.uploadId, 1, Buffer.from('new'));
    await expect(
      repo.completeMultipartUpload(up.uploadId, [{ partNumber: 1, etag: p.etag }], {
        ifAbsent: true,
      }),
    ).rejects.toMatchObject({ code: 'PreconditionFailedError' });
    expect(Buffer.from(await repo.getObject('main', 'taken')).toString()).toBe('old');
    // Refused: the upload is still there.
    expect((await repo.listParts(up.uploadId)).parts).toHaveLength(1);
  });

  it('a protected branch refuses create and complete', async () => {
    const up = await repo.createMultipartUpload('main', 'p');
    const part = await repo.uploadPart(up.uploadId, 1, Buffer.from('x'));
    repo.setWritePolicy({
      async check(op, branch) {
        if (branch === 'main')
          throw new ProtectedBranchError(`${branch} is protected`, {
            branch,
            op,
          } as unknown as ProtectedBranchError['data']);
      },
    });
    await expect(
      repo.completeMultipartUpload(up.uploadId, [{ partNumber: 1, etag: part.etag }]),
    ).rejects.toMatchObject({ code: 'ProtectedBranchError' });
    await expect(repo.createMultipartUpload('main', 'q')).rejects.toMatchObject({
      code: 'ProtectedBranchError',
    });
    repo.setWritePolicy(undefined);
    expect(await staged()).toEqual([]);
  });

  it('lists uploads by branch and prefix, resuming after a marker', async () => {
    await repo.createBranch('dev', { from: 'main' });
    const a = await repo.createMultipartUpload('main', 'a/1');
    const a2 = await repo.createMultipartUpload('main', 'a/1');
    const b = await repo.createMultipartUpload('main', 'b/1');
    const d = await repo.createMultipartUpload('dev', 'a/1');
    const ids = (r: { uploads: { uploadId: string }[] }) => r.uploads.map((u) => u.uploadId);
    const sameTime = a.initiated.getTime() === a2.initiated.getTime();
    const aOrder = sameTime ? [a.uploadId, a2.uploadId].sort() : [a.uploadId, a2.uploadId];
    expect(ids(await repo.listMultipartUploads())).toEqual([d.uploadId, ...aOrder, b.uploadId]);
    expect(ids(await repo.listMultipartUploads({ branch: 'main', prefix: 'b/' }))).toEqual([
      b.uploadId,
    ]);
    const page = await repo.listMultipartUploads({ branch: 'main', max: 1 });
    expect(page.truncated).toBe(true);
    expect(
      ids(
        await repo.listMultipartUploads({
          branch: 'main',
          keyMarker: { branch: 'main', path: 'a/1' },
          uploadIdMarker: aOrder[0],
        }),
      ),
    ).toEqual([aOrder[1], b.uploadId]);
  });
});

describe('conditional and recorded puts', () => {
  it('records the ETag, checksums and mtime as given', async () => {
    const e = await repo.putObject('main', 'x', Buffer.from('hello'), {
      etag: md5(Buffer.from('hello')),
      checksums: { sha256: 'LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=' },
      mtime: 1_700_000_000_000,
    });
    expect(e.etag).toBe('5d41402abc4b2a76b9719d911017c592');
    await repo.commit('main', { message: 'x' });
    expect(await repo.stat('main', 'x')).toMatchObject({
      etag: '5d41402abc4b2a76b9719d911017c592',
      checksums: { sha256: 'LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=' },
      mtime: 1_700_000_000_000,
    });
  });

  it('ifAbsent refuses a committed or staged path, allows a deleted one, and stages nothing', async () => {
    await repo.putObject('main', 'committed', Buffer.from('1'));
    await repo.commit('main', { message: 'c' });
    await repo.putObject('main', 'staged', Buffer.from('2'));
    for (const path of ['committed', 'staged'])
      await expect(
        repo.putObject('main', path, Buffer.from('new'), { ifAbsent: true }),
      ).rejects.toMatchObject({ code: 'PreconditionFailedError', data: { path, branch: 'main' } });
    expect(await staged()).toEqual(['staged']);
    expect(Buffer.from(await repo.getObject('main', 'committed')).toString()).toBe('1');
    await repo.putObject('main', 'fresh', Buffer.from('3'), { ifAbsent: true });
    await repo.deleteObjects('main', ['committed']);
    await repo.putObject('main', 'committed', Buffer.from('4'), { ifAbsent: true });
    expect(Buffer.from(await repo.getObject('main', 'committed')).toString()).toBe('4');
  });

  it('of concurrent ifAbsent puts of one path, exactly one wins', async () => {
    const results = await Promise.allSettled(
      ['a', 'b', 'c', 'd'].map((s) =>
        repo.putObject('main', 'race', Buffer.from(s), { ifAbsent: true }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(3);
  });
});

describe('hashingSpool', () => {
  it('hashes while spooling; putObject moves the file in (no second pass) and verifies on read', async () => {
    const bytes = randomBytes(3 * MiB + 17);
    const body = await hashingSpool(Readable.from([bytes]), await repo.spoolDir());
    expect(body.md5).toBe(md5(bytes));
    expect(body.blob.checksum).toBe(sha256(bytes));
    expect(body.blob.size).toBe(bytes.byteLength);
    const e = await repo.putObject('main', 'spooled', body, { etag: body.md5 });
    expect(existsSync(body.file)).toBe(false); // renamed into the store
    expect(e.address).toBe(hashBlob(bytes).address);
    expect(Buffer.from(await repo.getObject('main', 'spooled')).equals(bytes)).toBe(true);
  });

  it('a refused write still consumes its spool; the file of a look-alike body is never removed', async () => {
    await repo.putObject('main', 'taken', Buffer.from('x'));
    const body = await hashingSpool(Readable.from([Buffer.from('y')]), await repo.spoolDir());
    expect(existsSync(body.file)).toBe(true);
    await expect(repo.putObject('main', 'taken', body, { ifAbsent: true })).rejects.toMatchObject({
      code: 'PreconditionFailedError',
    });
    expect(existsSync(body.file)).toBe(false);
    const part = await hashingSpool(Readable.from([Buffer.from('z')]), await repo.spoolDir());
    await expect(repo.uploadPart('no-such-upload', 1, part)).rejects.toMatchObject({
      code: 'UploadNotFoundError',
    });
    expect(existsSync(part.file)).toBe(false);
    const mine = join(dir, 'keep-me');
    writeFileSync(mine, 'precious');
    const fake = { file: mine, blob: body.blob, md5: body.md5 };
    // biome-ignore lint/suspicious/noExplicitAny: the point is a body the types would refuse
    await expect(repo.putObject('main', 'f2', fake as any)).rejects.toMatchObject({
      code: 'InvalidArgumentError',
    });
    expect(existsSync(mine)).toBe(true);
  });

  it('refuses a look-alike body that hashingSpool did not make', async () => {
    const fake = {
      file: join(dir, 'x'),
      blob: { address: 'a'.repeat(64), checksum: 'b'.repeat(64), size: 1 },
      md5: '',
    };
    await expect(
      // biome-ignore lint/suspicious/noExplicitAny: the point is a body the types would refuse
      repo.putObject('main', 'fake', fake as any),
    ).rejects.toMatchObject({ code: 'InvalidArgumentError' });
    expect(await staged()).toEqual([]);
  });

  it('a spooled body can be a part', async () => {
    const bytes = randomBytes(1000);
    const up = await repo.createMultipartUpload('main', 'sp');
    const body = await hashingSpool(Readable.from([bytes]), await repo.spoolDir());
    const part = await repo.uploadPart(up.uploadId, 1, body);
    expect(part).toMatchObject({ etag: md5(bytes), size: 1000 });
    const e = await repo.completeMultipartUpload(up.uploadId, [{ partNumber: 1, etag: part.etag }]);
    expect(e.checksum).toBe(sha256(bytes));
  });
});
