// Multipart uploads through the AWS SDK for JavaScript against a listening server: a ≥ 64 MiB
// upload by lib-storage's Upload whose bytes and ETag (md5-of-md5s-N) are what S3 gives, ListParts
// and ListMultipartUploads paging, Abort, a wrong part ETag refused with nothing staged,
// UploadPartCopy across branches, and uploads to an alias or a tag refused.
import { createHash, randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  type S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import { type Gateway, startGateway } from '../support/gateway.js';

const BUCKET = 'repo';
const MiB = 1024 * 1024;
let gw: Gateway;
let repo: Repository;
let s3: S3Client;

beforeAll(async () => {
  gw = await startGateway();
  repo = await gw.repo();
  s3 = gw.client('admin');
  await repo.createBranch('dev', { from: 'main' });
  await repo.setAlias('production', 'main');
  await repo.createTag('v1', 'main');
});

afterAll(async () => {
  await gw?.close();
});

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** S3's multipart ETag, computed here independently of the server. */
function md5OfMd5s(parts: Uint8Array[]): string {
  const h = createHash('md5');
  for (const p of parts) h.update(createHash('md5').update(p).digest());
  return `"${h.digest('hex')}-${parts.length}"`;
}

async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as Error).name;
  }
  throw new Error('expected the request to fail');
}

async function readBack(ref: string, path: string): Promise<Buffer> {
  const { stream } = await repo.openObject(ref, path);
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function staged(branch: string): Promise<string[]> {
  const out: string[] = [];
  for await (const c of repo.status(branch)) out.push(c.path);
  return out;
}

async function create(key: string): Promise<string> {
  const out = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
  return out.UploadId as string;
}

async function part(key: string, uploadId: string, n: number, body: Uint8Array) {
  return s3.send(
    new UploadPartCommand({
      Bucket: BUCKET,
      Key: key,
      UploadId: uploadId,
      PartNumber: n,
      Body: body,
    }),
  );
}

describe('a large upload with lib-storage', () => {
  it('uploads 68 MiB in 8 MiB parts; bytes and the md5-of-md5s ETag are S3s', async () => {
    const data = randomBytes(68 * MiB);
    const upload = new Upload({
      client: s3,
      params: {
        Bucket: BUCKET,
        Key: 'main/big/blob.bin',
        Body: data,
        ContentType: 'application/x-test',
      },
      partSize: 8 * MiB,
      queueSize: 3,
    });
    const result = await upload.done();
    const parts = Array.from({ length: 9 }, (_, i) =>
      data.subarray(i * 8 * MiB, (i + 1) * 8 * MiB),
    );
    expect(result.ETag).toBe(md5OfMd5s(parts));
    const entry = await repo.stat('main', 'big/blob.bin');
    expect(entry.size).toBe(data.length);
    expect(`"${entry.etag}"`).toBe(result.ETag);
    expect(entry.contentType).toBe('application/x-test');
    expect(sha256(await readBack('main', 'big/blob.bin'))).toBe(sha256(data));
    expect(await staged('main')).toContain('big/blob.bin');
    // The upload is gone once completed.
    const left = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    expect(left.Uploads ?? []).toEqual([]);
  });
});

describe('uploads in progress', () => {
  it('lists parts page by page, lists uploads, and aborts', async () => {
    const key = 'main/mp/parts.bin';
    const id = await create(key);
    const other = await create('main/mp/zother.bin');
    const bodies = [randomBytes(1000), randomBytes(2000), randomBytes(3000)];
    for (const [i, b] of bodies.entries()) {
      const out = await part(key, id, i + 1, b);
      expect(out.ETag).toBe(`"${md5(b)}"`);
    }
    const first = await s3.send(
      new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: id, MaxParts: 2 }),
    );
    expect(first.IsTruncated).toBe(true);
    expect(first.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([
      [1, 1000, `"${md5(bodies[0] as Buffer)}"`],
      [2, 2000, `"${md5(bodies[1] as Buffer)}"`],
    ]);
    expect(first.NextPartNumberMarker).toBe('2');
    const rest = await s3.send(
      new ListPartsCommand({
        Bucket: BUCKET,
        Key: key,
        UploadId: id,
        PartNumberMarker: first.NextPartNumberMarker,
      }),
    );
    expect(rest.IsTruncated).toBe(false);
    expect(rest.Parts?.map((p) => p.PartNumber)).toEqual([3]);

    const all = await s3.send(
      new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'main/mp/' }),
    );
    expect(all.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([
      [key, id],
      ['main/mp/zother.bin', other],
    ]);
    const paged = await s3.send(
      new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'main/mp/', MaxUploads: 1 }),
    );
    expect(paged.IsTruncated).toBe(true);
    expect(paged.NextKeyMarker).toBe(key);
    const after = await s3.send(
      new ListMultipartUploadsCommand({
        Bucket: BUCKET,
        Prefix: 'main/mp/',
        KeyMarker: paged.NextKeyMarker,
        UploadIdMarker: paged.NextUploadIdMarker,
      }),
    );
    expect(after.Uploads?.map((u) => u.Key)).toEqual(['main/mp/zother.bin']);
    const rolled = await s3.send(
      new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'main/', Delimiter: '/' }),
    );
    expect(rolled.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['main/mp/']);

    // The upload id names this key only.
    expect(await errorOf(part('main/mp/elsewhere.bin', id, 1, bodies[0] as Buffer))).toBe(
      'NoSuchUpload',
    );
    expect(await errorOf(part(key, id, 0, bodies[0] as Buffer))).toBe('InvalidArgument');
    expect(await errorOf(part(key, id, 10_001, bodies[0] as Buffer))).toBe('InvalidArgument');

    for (const [k, u] of [
      [key, id],
      ['main/mp/zother.bin', other],
    ] as const) {
      const out = await s3.send(
        new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: k, UploadId: u }),
      );
      expect(out.$metadata.httpStatusCode).toBe(204);
    }
    expect(
      await errorOf(s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: id }))),
    ).toBe('NoSuchUpload');
    const none = await s3.send(
      new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'main/mp/' }),
    );
    expect(none.Uploads ?? []).toEqual([]);
    expect(await staged('main')).not.toContain('mp/parts.bin');
  });

  it('refuses a completion naming a wrong part ETag, staging nothing', async () => {
    const key = 'dev/bad/etag.bin';
    const id = await create(key);
    const a = randomBytes(5 * MiB);
    const b = randomBytes(100);
    const pa = await part(key, id, 1, a);
    await part(key, id, 2, b);
    const complete = (etag2: string) =>
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: BUCKET,
          Key: key,
          UploadId: id,
          MultipartUpload: {
            Parts: [
              { PartNumber: 1, ETag: pa.ETag },
              { PartNumber: 2, ETag: etag2 },
            ],
          },
        }),
      );
    expect(await errorOf(complete(`"${md5(a)}"`))).toBe('InvalidPart');
    expect(await staged('dev')).toEqual([]);
    // Refused, not consumed: the right ETags still complete it.
    const done = await complete(`"${md5(b)}"`);
    expect(done.ETag).toBe(md5OfMd5s([a, b]));
    expect(done.Key).toBe(key);
    expect(await staged('dev')).toEqual(['bad/etag.bin']);
    await repo.resetStaging('dev');
  });

  it('copies parts from another branch, whole and by range', async () => {
    const source = randomBytes(10 * MiB);
    await repo.putObject('dev', 'src/source.bin', source);
    await repo.commit('dev', { message: 'source' });
    const key = 'main/copied/target.bin';
    const id = await create(key);
    const cut = 5 * MiB;
    const p1 = await s3.send(
      new UploadPartCopyCommand({
        Bucket: BUCKET,
        Key: key,
        UploadId: id,
        PartNumber: 1,
        CopySource: `${BUCKET}/dev/src/source.bin`,
        CopySourceRange: `bytes=0-${cut - 1}`,
      }),
    );
    expect(p1.CopyPartResult?.ETag).toBe(`"${md5(source.subarray(0, cut))}"`);
    const p2 = await s3.send(
      new UploadPartCopyCommand({
        Bucket: BUCKET,
        Key: key,
        UploadId: id,
        PartNumber: 2,
        CopySource: `/${BUCKET}/dev/src/source.bin`,
        CopySourceRange: `bytes=${cut}-${source.length - 1}`,
      }),
    );
    const p3 = await s3.send(
      new UploadPartCopyCommand({
        Bucket: BUCKET,
        Key: key,
        UploadId: id,
        PartNumber: 3,
        CopySource: `${BUCKET}/dev/src/source.bin`,
      }),
    );
    expect(
      await errorOf(
        s3.send(
          new UploadPartCopyCommand({
            Bucket: BUCKET,
            Key: key,
            UploadId: id,
            PartNumber: 4,
            CopySource: `${BUCKET}/dev/src/source.bin`,
            CopySourceRange: `bytes=0-${source.length}`,
          }),
        ),
      ),
    ).toBe('InvalidRange');
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: key,
        UploadId: id,
        MultipartUpload: {
          Parts: [p1, p2, p3].map((p, i) => ({ PartNumber: i + 1, ETag: p.CopyPartResult?.ETag })),
        },
      }),
    );
    const whole = Buffer.concat([source, source]);
    expect(done.ETag).toBe(md5OfMd5s([source.subarray(0, cut), source.subarray(cut), source]));
    expect(sha256(await readBack('main', 'copied/target.bin'))).toBe(sha256(whole));
  });

  it('refuses uploads to an alias or a tag, and to a user who may not write', async () => {
    for (const key of ['production/x.bin', 'v1/x.bin'])
      expect(await errorOf(create(key))).toBe('AccessDenied');
    expect(
      await errorOf(
        gw
          .client('viewer')
          .send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'main/v.bin' })),
      ),
    ).toBe('AccessDenied');
    const left = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    const keys = (left.Uploads ?? []).map((u) => u.Key);
    for (const key of ['production/x.bin', 'v1/x.bin', 'main/v.bin'])
      expect(keys).not.toContain(key);
  });
});
