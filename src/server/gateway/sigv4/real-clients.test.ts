// Requests from real clients — the AWS SDK for JavaScript v3 and aws-cli — captured by a tiny HTTP
// server, then verified and decoded by our code: what those clients send is what we must accept.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isAwsChunked,
  payloadDecoder,
  type SigV4Request,
  storedContentEncoding,
  verifySigV4,
} from './index.js';

const AKID = 'AKIDREALCLIENT';
const SECRET = 'real/client+secret';
const lookup = async (id: string) =>
  id === AKID ? { secretAccessKey: SECRET, user: 'carol' } : undefined;
const AWS_CLI = '/usr/bin/aws';

interface Captured {
  req: SigV4Request;
  body: Buffer;
}

let server: http.Server;
let endpoint: string;
const captured: Captured[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      captured.push({
        req: {
          method: req.method ?? 'GET',
          rawPath: q < 0 ? url : url.slice(0, q),
          rawQuery: q < 0 ? '' : url.slice(q + 1),
          headers: req.headers,
        },
        body: Buffer.concat(chunks),
      });
      const list = req.method === 'GET';
      res.writeHead(200, {
        ETag: '"0123456789abcdef0123456789abcdef"',
        'Content-Type': 'application/xml',
      });
      res.end(
        list
          ? '<ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated></ListBucketResult>'
          : '',
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Runs `send` and returns the one request it made. */
async function capture(send: () => Promise<unknown>): Promise<Captured> {
  const before = captured.length;
  await send();
  expect(captured.length).toBe(before + 1);
  return captured[before]!;
}

async function decodeBody(c: Captured, mode: Awaited<ReturnType<typeof verifySigV4>>['payload']) {
  const length = c.req.headers['x-amz-decoded-content-length'];
  const decoder = payloadDecoder(mode, {
    decodedLength: typeof length === 'string' ? Number(length) : undefined,
  });
  const out: Buffer[] = [];
  await pipeline(
    Readable.from([c.body]),
    decoder,
    new Writable({
      write(chunk: Buffer, _e, cb) {
        out.push(chunk);
        cb();
      },
    }),
  );
  return { bytes: Buffer.concat(out), trailers: decoder.trailers() };
}

const sdk = () =>
  new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: AKID, secretAccessKey: SECRET },
    requestChecksumCalculation: 'WHEN_SUPPORTED',
  });

function crc32Base64(data: Buffer): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(zlib.crc32(data));
  return b.toString('base64');
}

describe('AWS SDK for JavaScript v3', () => {
  it('PutObject with a stream: aws-chunked STREAMING-UNSIGNED-PAYLOAD-TRAILER with a CRC32 trailer', async () => {
    const data = randomBytes(200_000);
    const body = Readable.from([
      data.subarray(0, 70_000),
      data.subarray(70_000, 70_001),
      data.subarray(70_001),
    ]);
    const c = await capture(() =>
      sdk().send(
        new PutObjectCommand({
          Bucket: 'b',
          Key: 'dir/a b+c.bin',
          Body: body,
          ContentLength: data.length,
          ContentEncoding: 'gzip',
        }),
      ),
    );
    expect(c.req.headers['x-amz-content-sha256']).toBe('STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    const encoding = c.req.headers['content-encoding'] as string;
    expect(isAwsChunked(encoding)).toBe(true);
    expect(storedContentEncoding(encoding)).toBe('gzip');
    const v = await verifySigV4(c.req, lookup);
    expect(v).toMatchObject({ user: 'carol', payload: { kind: 'streaming-unsigned-trailer' } });
    const out = await decodeBody(c, v.payload);
    expect(out.bytes.equals(data)).toBe(true);
    expect(out.trailers).toEqual({ 'x-amz-checksum-crc32': crc32Base64(data) });
  });

  it('PutObject with a stream of unknown length (WHEN_REQUIRED): UNSIGNED-PAYLOAD, HTTP-chunked', async () => {
    const data = randomBytes(150_000);
    const client = new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: AKID, secretAccessKey: SECRET },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const body = Readable.from([data.subarray(0, 1000), data.subarray(1000)]);
    const c = await capture(() =>
      client.send(new PutObjectCommand({ Bucket: 'b', Key: 'u', Body: body })),
    );
    expect(c.req.headers['transfer-encoding']).toBe('chunked');
    const v = await verifySigV4(c.req, lookup);
    expect(v.payload).toEqual({ kind: 'unsigned' });
    expect((await decodeBody(c, v.payload)).bytes.equals(data)).toBe(true);
  });

  it('PutObject with a buffer: the body hash signed in x-amz-content-sha256', async () => {
    const data = Buffer.from('hello, sluice');
    const c = await capture(() =>
      sdk().send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: data })),
    );
    const v = await verifySigV4(c.req, lookup);
    expect(v.payload.kind).toBe('sha256');
    expect((await decodeBody(c, v.payload)).bytes.equals(data)).toBe(true);
  });

  it('ListObjectsV2 with a prefix that needs encoding', async () => {
    const c = await capture(() =>
      sdk().send(new ListObjectsV2Command({ Bucket: 'b', Prefix: 'a b/ü+~=*', Delimiter: '/' })),
    );
    const v = await verifySigV4(c.req, lookup);
    expect(v.user).toBe('carol');
  });
});

describe.skipIf(!existsSync(AWS_CLI))('aws-cli (/usr/bin/aws)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sigv4-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) =>
    promisify(execFile)(AWS_CLI, ['--endpoint-url', endpoint, ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        AWS_ACCESS_KEY_ID: AKID,
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_DEFAULT_REGION: 'us-west-2',
        AWS_CONFIG_FILE: join(dir, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });

  it('put-object: a full-body SHA-256 (aws-cli 2.9 sends no aws-chunked over http)', async () => {
    const data = randomBytes(100_000);
    const file = join(dir, 'f.bin');
    await writeFile(file, data);
    const c = await capture(() =>
      cli('s3api', 'put-object', '--bucket', 'b', '--key', 'x y/ü~(1).bin', '--body', file),
    );
    const v = await verifySigV4(c.req, lookup);
    expect(v).toMatchObject({ user: 'carol', region: 'us-west-2', payload: { kind: 'sha256' } });
    expect((await decodeBody(c, v.payload)).bytes.equals(data)).toBe(true);
  });

  it('s3 presign: a URL the verifier accepts', async () => {
    const { stdout } = await cli('s3', 'presign', 's3://b/some key.txt', '--expires-in', '120');
    const m = /^https?:\/\/([^/]+)([^?]*)\?(.*)$/.exec(stdout.trim())!;
    const req: SigV4Request = {
      method: 'GET',
      rawPath: m[2]!,
      rawQuery: m[3]!,
      headers: { host: m[1]! },
    };
    const v = await verifySigV4(req, lookup);
    expect(v).toMatchObject({ presigned: true, payload: { kind: 'unsigned' } });
  });
});
