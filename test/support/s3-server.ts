// An in-process fake S3 (s3rver) for tests: 127.0.0.1 on a free port, files in a fresh temp dir,
// one bucket ready. Works offline; stop() closes the server and removes every file it wrote.
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The slice of s3rver 3.x's API used here (it ships no type declarations). */
export interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
export type S3rverConstructor = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: { name: string }[];
}) => S3rverInstance;

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

/**
 * s3rver encrypts ListObjectsV2 continuation tokens with single DES, which OpenSSL 3 (Node >= 17)
 * only has in its legacy provider, so listing past 1,000 keys fails. 3DES with the key repeated
 * three times is the same cipher; substitute it, for 'des' only.
 */
export function letS3rverUseDes(): void {
  const crypto = require('node:crypto') as typeof import('node:crypto');
  try {
    crypto.createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
    return; // legacy provider loaded, or already patched
  } catch {}
  const tripled = (key: unknown) => (Buffer.isBuffer(key) ? Buffer.concat([key, key, key]) : key);
  for (const name of ['createCipheriv', 'createDecipheriv'] as const) {
    const original = crypto[name] as (...args: unknown[]) => unknown;
    const patched = (algorithm: unknown, key: unknown, ...rest: unknown[]) =>
      algorithm === 'des'
        ? original('des-ede3-cbc', tripled(key), ...rest)
        : original(algorithm, key, ...rest);
    Object.assign(crypto, { [name]: patched });
  }
}

export async function startS3Server(opts: { bucket?: string } = {}): Promise<S3TestServer> {
  letS3rverUseDes();
  const S3rver = require('s3rver') as S3rverConstructor;
  const bucket = opts.bucket ?? 'sluice-test';
  const directory = await mkdtemp(join(tmpdir(), 'sluice-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: process.env.S3RVER_LOG !== '1', // S3RVER_LOG=1 prints its request log
    configureBuckets: [{ name: bucket }],
  });
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (err) {
    await rm(directory, { recursive: true, force: true });
    throw err;
  }
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    // s3rver's built-in account; it checks the access key but not v4 signatures.
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    region: 'us-east-1',
    async stop() {
      try {
        const closed = server.close();
        server.httpServer?.closeAllConnections(); // idle keep-alive sockets would hold it open
        await closed;
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };
}
