// The AWS SDK for JavaScript v3 against a gateway started here, with its defaults (so uploads go
// as aws-chunked with a CRC32 trailer): ListObjectsV2 of the refs and a branch, PutObject and
// GetObject, a tree up to a branch and back, a 64 MiB lib-storage Upload in parts, a ranged
// GetObject, CopyObject across branches, DeleteObject, a commit through the library. And a body
// signed chunk by chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) whose data is changed after signing:
// SignatureDoesNotMatch, nothing staged — the same body untouched is taken, so the check can fail.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import {
  type GatewayUnderTest,
  type Key,
  makeTree,
  sha256,
  startGateway,
  storedTree,
  treeOf,
} from '../support/gateway-clients.js';

const MiB = 1024 * 1024;

function client(gw: GatewayUnderTest, key: Key = gw.key): S3Client {
  return new S3Client({
    endpoint: gw.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: key,
    maxAttempts: 1,
  });
}

const bytesOf = async (body: { transformToByteArray(): Promise<Uint8Array> } | undefined) =>
  Buffer.from((await body?.transformToByteArray()) ?? new Uint8Array());

describe('the AWS SDK for JavaScript against the gateway', () => {
  let gw: GatewayUnderTest;
  let repo: Repository;
  let s3: S3Client;
  let dir: string;
  beforeAll(async () => {
    gw = await startGateway();
    repo = await gw.repo();
    s3 = client(gw);
    dir = join(gw.tmp, 'files');
    mkdirSync(dir);
  });
  afterAll(async () => {
    s3?.destroy();
    await gw?.close();
  });

  it('lists the refs at the bucket root and the objects of a branch', async () => {
    const root = await s3.send(new ListObjectsV2Command({ Bucket: 'lake', Delimiter: '/' }));
    expect(root.CommonPrefixes?.map((p) => p.Prefix)).toEqual(
      expect.arrayContaining(['dev/', 'main/', 'production/', 'release/', 'v1/']),
    );
    const main = await s3.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'main/' }));
    expect(main.Contents?.map((o) => [o.Key, o.Size])).toEqual([['main/seed/readme.txt', 7]]);
  });

  it('PutObject and GetObject: the same bytes', async () => {
    const body = randomBytes(90_000);
    await s3.send(new PutObjectCommand({ Bucket: 'lake', Key: 'main/js/one.bin', Body: body }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'lake', Key: 'main/js/one.bin' }));
    expect(await bytesOf(got.Body)).toEqual(body);
    expect(got.ETag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
  });

  it('a tree up to a branch and back down, byte for byte', async () => {
    const src = join(dir, 'tree');
    makeTree(src, 50);
    const files = Object.keys(treeOf(src));
    await Promise.all(
      files.map((rel) =>
        s3.send(
          new PutObjectCommand({
            Bucket: 'lake',
            Key: `dev/tree/${rel}`,
            Body: readFileSync(join(src, rel)),
          }),
        ),
      ),
    );
    const down = join(dir, 'tree-down');
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: 'lake',
          Prefix: 'dev/tree/',
          MaxKeys: 20,
          ContinuationToken: token,
        }),
      );
      for (const o of page.Contents ?? []) {
        const got = await s3.send(new GetObjectCommand({ Bucket: 'lake', Key: o.Key }));
        const file = join(down, (o.Key as string).slice('dev/tree/'.length));
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, await bytesOf(got.Body));
      }
      token = page.NextContinuationToken;
    } while (token);
    expect(treeOf(down)).toEqual(treeOf(src));
    expect(await storedTree(repo, 'dev', 'tree/')).toEqual(treeOf(src));
  });

  it('a 64 MiB lib-storage Upload in parts, read back whole and by range', async () => {
    const big = randomBytes(64 * MiB);
    await new Upload({
      client: s3,
      params: { Bucket: 'lake', Key: 'main/big.bin', Body: big },
      partSize: 16 * MiB,
      queueSize: 2,
    }).done();
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'lake', Key: 'main/big.bin' }));
    expect(head.ContentLength).toBe(64 * MiB);
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}-4"$/);
    const whole = await s3.send(new GetObjectCommand({ Bucket: 'lake', Key: 'main/big.bin' }));
    expect(sha256(await bytesOf(whole.Body))).toBe(sha256(big));
    const part = await s3.send(
      new GetObjectCommand({
        Bucket: 'lake',
        Key: 'main/big.bin',
        Range: 'bytes=33554430-33558525',
      }),
    );
    expect(part.ContentRange).toBe(`bytes 33554430-33558525/${64 * MiB}`);
    expect(await bytesOf(part.Body)).toEqual(big.subarray(33_554_430, 33_558_526));
  }, 120_000);

  it('CopyObject across branches, DeleteObject, then a commit through the library', async () => {
    await s3.send(
      new CopyObjectCommand({
        Bucket: 'lake',
        Key: 'dev/js/one.bin',
        CopySource: 'lake/main/js/one.bin',
      }),
    );
    const main = await repo.stat('main', 'js/one.bin');
    expect((await repo.stat('dev', 'js/one.bin')).address).toBe(main.address);
    await s3.send(new DeleteObjectCommand({ Bucket: 'lake', Key: 'main/js/one.bin' }));
    await expect(repo.stat('main', 'js/one.bin')).rejects.toMatchObject({
      code: 'PathNotFoundError',
    });
    const commit = await repo.commit('dev', { message: 'from the JS SDK' });
    expect((await repo.stat(commit.id, 'js/one.bin')).checksum).toBe(main.checksum);
    expect(Object.keys(await storedTree(repo, commit.id, 'tree/'))).toHaveLength(50);
  });

  it('a chunk changed after signing: SignatureDoesNotMatch, nothing staged', async () => {
    const data = randomBytes(3000);
    const good = signedChunkedPut(gw, 'main/chunked/good.bin', data, 1024);
    const taken = await fetch(good.url, { method: 'PUT', headers: good.headers, body: good.body });
    expect(taken.status, await taken.text()).toBe(200);
    expect(sha256(await repo.getObject('main', 'chunked/good.bin'))).toBe(sha256(data));

    const bad = signedChunkedPut(gw, 'main/chunked/bad.bin', data, 1024);
    // Flip one byte of the second chunk's data (after its header line), keeping every length.
    const second = bad.body.indexOf('\r\n', bad.body.indexOf('\r\n') + 2 + 1024) + 2;
    const at = bad.body.indexOf('\r\n', second) + 2 + 10;
    bad.body[at] = (bad.body[at] as number) ^ 0xff;
    const refused = await fetch(bad.url, { method: 'PUT', headers: bad.headers, body: bad.body });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/<Code>SignatureDoesNotMatch<\/Code>/);
    await expect(repo.stat('main', 'chunked/bad.bin')).rejects.toMatchObject({
      code: 'PathNotFoundError',
    });
  });
});

// ---- a streaming-signed PUT, by hand (SigV4 "Transferring Payload in Multiple Chunks") --------

const hmac = (key: Buffer | string, text: string) =>
  createHmac('sha256', key).update(text).digest();
const hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

function signedChunkedPut(gw: GatewayUnderTest, key: string, data: Buffer, chunkSize: number) {
  const url = new URL(`${gw.url}/lake/${key}`);
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const date = amzDate.slice(0, 8);
  const scope = `${date}/us-east-1/s3/aws4_request`;
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunkSize) chunks.push(data.subarray(i, i + chunkSize));
  chunks.push(Buffer.alloc(0));
  const sigLine = (size: number) => `${size.toString(16)};chunk-signature=${'0'.repeat(64)}\r\n`;
  const encodedLength = chunks.reduce((n, c) => n + sigLine(c.length).length + c.length + 2, 0);
  const headers: Record<string, string> = {
    host: url.host,
    'content-encoding': 'aws-chunked',
    'content-length': String(encodedLength),
    'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    'x-amz-date': amzDate,
    'x-amz-decoded-content-length': String(data.length),
  };
  const signed = Object.keys(headers).sort();
  const canonicalRequest = `PUT\n${url.pathname}\n\n${signed
    .map((h) => `${h}:${headers[h]}\n`)
    .join('')}\n${signed.join(';')}\nSTREAMING-AWS4-HMAC-SHA256-PAYLOAD`;
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${gw.key.secretAccessKey}`, date), 'us-east-1'), 's3'),
    'aws4_request',
  );
  const seed = hmac(
    signingKey,
    ['AWS4-HMAC-SHA256', amzDate, scope, hex(canonicalRequest)].join('\n'),
  ).toString('hex');
  let previous = seed;
  const parts: Buffer[] = [];
  for (const chunk of chunks) {
    const sig = hmac(
      signingKey,
      ['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, previous, hex(''), hex(chunk)].join('\n'),
    ).toString('hex');
    parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${sig}\r\n`), chunk);
    parts.push(Buffer.from('\r\n'));
    previous = sig;
  }
  const { host: _host, ...sent } = headers;
  return {
    url: url.href,
    headers: {
      ...sent,
      authorization: `AWS4-HMAC-SHA256 Credential=${gw.key.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${seed}`,
    },
    body: Buffer.concat(parts),
  };
}
