// The gateway's object operations through the AWS SDK for JavaScript (real SigV4, real sockets):
// GetObject/HeadObject at every kind of ref with ranges, conditions, overrides and checksums;
// PutObject with metadata, Content-MD5 and the SDK's checksums; refusals that stage nothing;
// zero-copy CopyObject; DeleteObject and DeleteObjects with per-key refusals.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { FinalizeRequestMiddleware, MetadataBearer } from '@smithy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change } from '../../src/index.js';
import { type Gateway, startGateway } from '../support/gateway.js';

let gw: Gateway;
let s3: S3Client;
let Bucket: string;

beforeEach(async () => {
  gw = await startGateway({ sluiceYml: 'gates:\n  - branch: release\n' });
  s3 = gw.client('admin');
  Bucket = gw.bucket;
  const repo = await gw.repo();
  await repo.createBranch('release');
  await repo.createBranch('dev');
});
afterEach(async () => {
  await gw.close();
});

const md5 = (b: string | Buffer) => createHash('md5').update(b).digest('hex');
const sha256 = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

async function put(Key: string, Body: string | Buffer, extra: Record<string, unknown> = {}) {
  return s3.send(new PutObjectCommand({ Bucket, Key, Body, ...extra }));
}

async function text(Key: string, extra: Record<string, unknown> = {}, client = s3) {
  const r = await client.send(new GetObjectCommand({ Bucket, Key, ...extra }));
  return {
    r,
    body: await (r.Body as { transformToString(): Promise<string> }).transformToString(),
  };
}

/** The S3 error a call fails with (code and HTTP status). */
async function failure(
  p: Promise<unknown>,
): Promise<{ code: string; status: number; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof S3ServiceException)
      return { code: err.name, status: err.$metadata.httpStatusCode ?? 0, message: err.message };
    throw err;
  }
  throw new Error('the call succeeded');
}

async function staged(branch = 'main'): Promise<Change[]> {
  const repo = await gw.repo();
  const out: Change[] = [];
  for await (const c of repo.status(branch)) out.push(c);
  return out;
}

function countFiles(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true }))
    n += e.isDirectory() ? countFiles(join(dir, e.name)) : 1;
  return n;
}
const dataKeys = () => countFiles(join(gw.server.root, '.sluice', 'objects', 'data'));

describe('PutObject and GetObject', () => {
  it('round-trips the bytes with content type and metadata; the ETag is the MD5', async () => {
    const body = 'id,name\n1,ada\n';
    const p = await put('main/data/people.csv', body, {
      ContentType: 'text/csv',
      Metadata: { Source: 'crm', batch: '7' },
    });
    expect(p.ETag).toBe(`"${md5(body)}"`);
    const { r, body: got } = await text('main/data/people.csv');
    expect(got).toBe(body);
    expect(r.ETag).toBe(`"${md5(body)}"`);
    expect(r.ContentType).toBe('text/csv');
    expect(r.ContentLength).toBe(body.length);
    expect(r.Metadata).toEqual({ source: 'crm', batch: '7' });
    expect(r.LastModified).toBeInstanceOf(Date);
    // The same metadata map the API shows (lower-case keys).
    const entry = await (await gw.repo()).stat('main', 'data/people.csv');
    expect(entry.metadata).toEqual({ source: 'crm', batch: '7' });
    expect(entry.etag).toBe(md5(body));
  });

  it('streams a large object whole and by range', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) % 251;
    await put('main/big.bin', big);
    const r = await s3.send(new GetObjectCommand({ Bucket, Key: 'main/big.bin' }));
    const got = Buffer.from(
      await (r.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
    expect(got.equals(big)).toBe(true);
    expect(r.ETag).toBe(`"${md5(big)}"`);
    const part = await s3.send(
      new GetObjectCommand({ Bucket, Key: 'main/big.bin', Range: 'bytes=1000000-1000009' }),
    );
    const bytes = Buffer.from(
      await (part.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
    expect(bytes.equals(big.subarray(1000000, 1000010))).toBe(true);
  });

  it('answers a range with 206 and Content-Range, an unsatisfiable one with 416', async () => {
    await put('main/f.txt', '0123456789');
    const mid = await text('main/f.txt', { Range: 'bytes=2-4' });
    expect(mid.body).toBe('234');
    expect(mid.r.$metadata.httpStatusCode).toBe(206);
    expect(mid.r.ContentRange).toBe('bytes 2-4/10');
    expect((await text('main/f.txt', { Range: 'bytes=-3' })).body).toBe('789');
    expect((await text('main/f.txt', { Range: 'bytes=7-' })).body).toBe('789');
    const bad = await failure(
      s3.send(new GetObjectCommand({ Bucket, Key: 'main/f.txt', Range: 'bytes=10-' })),
    );
    expect(bad).toMatchObject({ code: 'InvalidRange', status: 416 });
  });

  it('answers a missing key, ref or repository with NoSuchKey / NoSuchBucket', async () => {
    expect(await failure(text('main/nope.txt'))).toMatchObject({ code: 'NoSuchKey', status: 404 });
    expect(await failure(text('nobranch/a.txt'))).toMatchObject({ code: 'NoSuchKey' });
    expect(
      await failure(s3.send(new GetObjectCommand({ Bucket: 'other', Key: 'main/a' }))),
    ).toMatchObject({
      code: 'NoSuchBucket',
    });
  });

  it('reads at an alias, a tag and a commit id; a branch shows its staged changes', async () => {
    await put('main/v.txt', 'one');
    const repo = await gw.repo();
    const c1 = await repo.commit('main', { message: 'one' });
    await repo.createTag('v1', 'main');
    await repo.setAlias('production', 'main');
    await put('main/v.txt', 'two');
    expect((await text('main/v.txt')).body).toBe('two'); // staged
    expect((await text('v1/v.txt')).body).toBe('one');
    expect((await text(`${c1.id}/v.txt`)).body).toBe('one');
    expect((await text('production/v.txt')).body).toBe('two'); // production → main
    await repo.commit('main', { message: 'two' });
    await repo.createBranch('old', { from: 'v1' });
    await repo.setAlias('production', 'old');
    expect((await text('production/v.txt')).body).toBe('one');
  });

  it('gives objects written by sluice put their SHA-256 as ETag, the head commit time as Last-Modified', async () => {
    const repo = await gw.repo();
    await repo.putObject('main', 'lib.txt', new TextEncoder().encode('from the library'));
    const c = await repo.commit('main', { message: 'lib' });
    const h = await s3.send(new HeadObjectCommand({ Bucket, Key: 'main/lib.txt' }));
    expect(h.ETag).toBe(`"${sha256('from the library')}"`);
    expect(h.LastModified?.getTime()).toBe(Math.floor(c.createdAt.getTime() / 1000) * 1000);
    expect(h.ContentType).toBe('text/plain');
  });
});

describe('conditional GET and HEAD', () => {
  let etag: string;
  let modified: Date;
  beforeEach(async () => {
    etag = (await put('main/c.txt', 'conditional')).ETag as string;
    modified = (await s3.send(new HeadObjectCommand({ Bucket, Key: 'main/c.txt' })))
      .LastModified as Date;
  });
  const get = (extra: Record<string, unknown>) => text('main/c.txt', extra);
  const earlier = () => new Date(modified.getTime() - 60_000);
  const later = () => new Date(modified.getTime() + 60_000);

  it('If-Match: the ETag reads, another is 412', async () => {
    expect((await get({ IfMatch: etag })).body).toBe('conditional');
    expect(await failure(get({ IfMatch: '"0000"' }))).toMatchObject({
      code: 'PreconditionFailed',
      status: 412,
    });
  });

  it('If-None-Match: the ETag is 304 (GET and HEAD), another reads', async () => {
    expect(await failure(get({ IfNoneMatch: etag }))).toMatchObject({ status: 304 });
    expect(
      await failure(
        s3.send(new HeadObjectCommand({ Bucket, Key: 'main/c.txt', IfNoneMatch: etag })),
      ),
    ).toMatchObject({ status: 304 });
    expect((await get({ IfNoneMatch: '"0000"' })).body).toBe('conditional');
  });

  it('If-Modified-Since and If-Unmodified-Since', async () => {
    expect((await get({ IfModifiedSince: earlier() })).body).toBe('conditional');
    expect(await failure(get({ IfModifiedSince: later() }))).toMatchObject({ status: 304 });
    expect((await get({ IfUnmodifiedSince: later() })).body).toBe('conditional');
    expect(await failure(get({ IfUnmodifiedSince: earlier() }))).toMatchObject({
      code: 'PreconditionFailed',
      status: 412,
    });
  });

  it("follows S3's precedence: a holding If-Match beats If-Unmodified-Since, If-None-Match beats If-Modified-Since", async () => {
    expect((await get({ IfMatch: etag, IfUnmodifiedSince: earlier() })).body).toBe('conditional');
    expect(await failure(get({ IfNoneMatch: etag, IfModifiedSince: earlier() }))).toMatchObject({
      status: 304,
    });
  });
});

describe('response overrides and checksums', () => {
  it('overrides the response headers a GET names', async () => {
    await put('main/o.txt', 'override', { ContentType: 'text/plain' });
    const { r } = await text('main/o.txt', {
      ResponseContentType: 'application/x-custom',
      ResponseContentDisposition: 'attachment; filename="x.txt"',
      ResponseContentEncoding: 'identity',
      ResponseContentLanguage: 'en',
      ResponseCacheControl: 'no-cache',
      ResponseExpires: new Date('2030-01-01T00:00:00Z'),
    });
    expect(r.ContentType).toBe('application/x-custom');
    expect(r.ContentDisposition).toBe('attachment; filename="x.txt"');
    expect(r.ContentEncoding).toBe('identity');
    expect(r.ContentLanguage).toBe('en');
    expect(r.CacheControl).toBe('no-cache');
    expect(r.ExpiresString ?? r.Expires?.toUTCString()).toContain('2030');
  });

  it('returns the SHA-256 (and recorded checksums) with checksum mode', async () => {
    const body = 'checksummed';
    await put('main/k.txt', body, { ChecksumAlgorithm: 'CRC32C' });
    const h = await s3.send(
      new HeadObjectCommand({ Bucket, Key: 'main/k.txt', ChecksumMode: 'ENABLED' }),
    );
    expect(h.ChecksumSHA256).toBe(createHash('sha256').update(body).digest('base64'));
    expect(h.ChecksumCRC32C).toBeDefined();
    const plain = await s3.send(new HeadObjectCommand({ Bucket, Key: 'main/k.txt' }));
    expect(plain.ChecksumSHA256).toBeUndefined();
  });

  it.each(['CRC32', 'CRC32C', 'SHA1', 'SHA256'] as const)(
    'verifies and records a %s sent by the SDK',
    async (alg) => {
      const body = `payload for ${alg}`;
      const p = await put(`main/sum-${alg}.txt`, body, { ChecksumAlgorithm: alg });
      const field = `Checksum${alg}` as const;
      expect(p[field]).toBeDefined();
      const entry = await (await gw.repo()).stat('main', `sum-${alg}.txt`);
      expect(entry.checksums?.[alg.toLowerCase() as 'crc32']).toBe(p[field]);
      if (alg === 'SHA256')
        expect(p[field]).toBe(createHash('sha256').update(body).digest('base64'));
      if (alg === 'SHA1') expect(p[field]).toBe(createHash('sha1').update(body).digest('base64'));
      const h = await s3.send(
        new HeadObjectCommand({ Bucket, Key: `main/sum-${alg}.txt`, ChecksumMode: 'ENABLED' }),
      );
      expect(h[field]).toBe(p[field]);
    },
  );

  it('refuses a wrong checksum with BadDigest and stages nothing', async () => {
    const e = await failure(put('main/bad.txt', 'abc', { ChecksumCRC32: 'AAAAAA==' }));
    expect(e).toMatchObject({ code: 'BadDigest', status: 400 });
    expect(e.message).toContain('CRC32');
    expect(await staged()).toEqual([]);
  });

  it('refuses a Content-MD5 mismatch with BadDigest, a malformed one with InvalidDigest', async () => {
    const wrong = createHash('md5').update('other').digest('base64');
    expect(await failure(put('main/m.txt', 'abc', { ContentMD5: wrong }))).toMatchObject({
      code: 'BadDigest',
    });
    expect(await failure(put('main/m.txt', 'abc', { ContentMD5: 'not-md5' }))).toMatchObject({
      code: 'InvalidDigest',
    });
    expect(await staged()).toEqual([]);
    const right = createHash('md5').update('abc').digest('base64');
    expect((await put('main/m.txt', 'abc', { ContentMD5: right })).ETag).toBe(`"${md5('abc')}"`);
  });
});

describe('PutObject refusals and conditions', () => {
  it('refuses a write to a tag, an alias, a commit or a protected branch, staging nothing', async () => {
    const repo = await gw.repo();
    await repo.createTag('v1', 'main');
    await repo.setAlias('production', 'main');
    const head = (await repo.getCommit('main')).id;
    for (const ref of ['v1', 'production', head, 'release']) {
      const e = await failure(put(`${ref}/x.txt`, 'no'));
      expect(e).toMatchObject({ code: 'AccessDenied', status: 403 });
    }
    const alias = await failure(put('production/x.txt', 'no'));
    expect(alias.message).toContain('is an alias');
    expect(await staged('main')).toEqual([]);
    expect(await staged('release')).toEqual([]);
  });

  it('refuses a write to a missing branch with InvalidArgument', async () => {
    const e = await failure(put('nobranch/x.txt', 'no'));
    expect(e).toMatchObject({ code: 'InvalidArgument', status: 400 });
    expect(e.message).toContain('no branch');
  });

  it('refuses a user without write permission', async () => {
    const viewer = gw.client('viewer');
    expect(
      await failure(viewer.send(new PutObjectCommand({ Bucket, Key: 'main/v.txt', Body: 'x' }))),
    ).toMatchObject({ code: 'AccessDenied' });
    expect(await staged()).toEqual([]);
  });

  it('writes with If-None-Match: * only when the key is absent', async () => {
    await put('main/once.txt', 'first', { IfNoneMatch: '*' });
    expect(await failure(put('main/once.txt', 'second', { IfNoneMatch: '*' }))).toMatchObject({
      code: 'PreconditionFailed',
      status: 412,
    });
    expect((await text('main/once.txt')).body).toBe('first');
  });

  it.each([
    ['a small body', 1000],
    ['a spooled body', 3 * 1024 * 1024],
  ])('stages nothing when %s is not what was signed', async (_what, size) => {
    // Signed over one body, sent with another of the same length (after the signer ran).
    const client = gw.client('admin', { requestChecksumCalculation: 'WHEN_REQUIRED' });
    const tampered = Buffer.alloc(size, 1);
    const tamper: FinalizeRequestMiddleware<object, MetadataBearer> = (next) => async (args) => {
      (args.request as { body: unknown }).body = tampered;
      return next(args);
    };
    client.middlewareStack.addRelativeTo(
      tamper as Parameters<typeof client.middlewareStack.addRelativeTo>[0],
      { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'tamper' },
    );
    const e = await failure(
      client.send(new PutObjectCommand({ Bucket, Key: 'main/t.bin', Body: Buffer.alloc(size, 0) })),
    );
    expect(e.code).toBe('XAmzContentSHA256Mismatch');
    expect(await staged()).toEqual([]);
    const spool = join(gw.server.root, '.sluice', 'objects', 'tmp');
    expect(existsSync(spool) ? countFiles(spool) : 0).toBe(0);
  });

  it('takes an empty directory marker as a no-op', async () => {
    const p = await put('main/dir/', '');
    expect(p.ETag).toBe(`"${md5('')}"`);
    expect(await staged()).toEqual([]);
    expect(await failure(put('main/dir2/', 'bytes'))).toMatchObject({ code: 'InvalidArgument' });
  });
});

describe('CopyObject', () => {
  it('copies across branches without copying bytes, keeping ETag and metadata', async () => {
    const body = Buffer.alloc(200_000, 7);
    await put('main/src.bin', body, {
      Metadata: { kind: 'blob' },
      ContentType: 'application/x-blob',
    });
    const before = dataKeys();
    const c = await s3.send(
      new CopyObjectCommand({
        Bucket,
        Key: 'dev/copied/dst.bin',
        CopySource: `${Bucket}/main/src.bin`,
      }),
    );
    expect(c.CopyObjectResult?.ETag).toBe(`"${md5(body)}"`);
    expect(dataKeys()).toBe(before);
    const h = await s3.send(new HeadObjectCommand({ Bucket, Key: 'dev/copied/dst.bin' }));
    expect(h.Metadata).toEqual({ kind: 'blob' });
    expect(h.ContentType).toBe('application/x-blob');
    expect(h.ContentLength).toBe(body.length);
    expect((await staged('dev')).map((x) => x.path)).toEqual(['copied/dst.bin']);
  });

  it('replaces metadata with REPLACE, copies from a tag, checks source conditions', async () => {
    await put('main/s.txt', 'source', { Metadata: { a: '1' } });
    const repo = await gw.repo();
    await repo.commit('main', { message: 's' });
    await repo.createTag('v1', 'main');
    await s3.send(
      new CopyObjectCommand({
        Bucket,
        Key: 'dev/r.txt',
        CopySource: `${Bucket}/v1/s.txt`,
        MetadataDirective: 'REPLACE',
        Metadata: { b: '2' },
        ContentType: 'text/x-new',
      }),
    );
    const h = await s3.send(new HeadObjectCommand({ Bucket, Key: 'dev/r.txt' }));
    expect(h.Metadata).toEqual({ b: '2' });
    expect(h.ContentType).toBe('text/x-new');
    expect(
      await failure(
        s3.send(
          new CopyObjectCommand({
            Bucket,
            Key: 'dev/r2.txt',
            CopySource: `${Bucket}/main/s.txt`,
            CopySourceIfMatch: '"nope"',
          }),
        ),
      ),
    ).toMatchObject({ code: 'PreconditionFailed' });
    expect(
      await failure(
        s3.send(
          new CopyObjectCommand({ Bucket, Key: 'v1/r.txt', CopySource: `${Bucket}/main/s.txt` }),
        ),
      ),
    ).toMatchObject({ code: 'AccessDenied' });
    expect(
      await failure(
        s3.send(
          new CopyObjectCommand({ Bucket, Key: 'dev/r.txt', CopySource: 'elsewhere/main/s.txt' }),
        ),
      ),
    ).toMatchObject({ code: 'NotImplemented' });
  });
});

describe('DeleteObject and DeleteObjects', () => {
  it('stages a tombstone; a missing key is 204 and stages nothing', async () => {
    await put('main/d.txt', 'x');
    await (await gw.repo()).commit('main', { message: 'd' });
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'main/d.txt' }));
    expect((await staged()).map((c) => [c.type, c.path])).toEqual([['removed', 'd.txt']]);
    expect(await failure(text('main/d.txt'))).toMatchObject({ code: 'NoSuchKey' });
    const r = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'main/never.txt' }));
    expect(r.$metadata.httpStatusCode).toBe(204);
    expect((await staged()).length).toBe(1);
  });

  it('deletes what it may and reports each refused key', async () => {
    await put('main/a.txt', 'a');
    await put('main/b.txt', 'b');
    const repo = await gw.repo();
    await repo.commit('main', { message: 'ab' });
    await repo.createTag('v1', 'main');
    await repo.setAlias('production', 'main');
    await repo.putObject('release', 'r.txt', new TextEncoder().encode('r'), {}).catch(() => {});
    const r = await s3.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: {
          Objects: [
            { Key: 'main/a.txt' },
            { Key: 'main/missing.txt' },
            { Key: 'v1/b.txt' },
            { Key: 'production/b.txt' },
            { Key: 'release/r.txt' },
          ],
        },
      }),
    );
    expect((r.Deleted ?? []).map((d) => d.Key).sort()).toEqual(['main/a.txt', 'main/missing.txt']);
    expect(Object.fromEntries((r.Errors ?? []).map((e) => [e.Key, e.Code]))).toEqual({
      'v1/b.txt': 'AccessDenied',
      'production/b.txt': 'AccessDenied',
      'release/r.txt': 'AccessDenied',
    });
    expect((await staged()).map((c) => c.path)).toEqual(['a.txt']);
    const quiet = await s3.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: { Objects: [{ Key: 'main/b.txt' }], Quiet: true },
      }),
    );
    expect(quiet.Deleted ?? []).toEqual([]);
    expect((await staged()).map((c) => c.path)).toEqual(['a.txt', 'b.txt']);
  });

  it('refuses per branch what the user may not write', async () => {
    const dev = gw.client('dev');
    await put('dev/x.txt', 'x');
    const r = await dev.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: { Objects: [{ Key: 'dev/x.txt' }, { Key: 'release/y.txt' }] },
      }),
    );
    expect((r.Deleted ?? []).map((d) => d.Key)).toEqual(['dev/x.txt']);
    expect((r.Errors ?? []).map((e) => [e.Key, e.Code])).toEqual([
      ['release/y.txt', 'AccessDenied'],
    ]);
  });
});
