import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3TestServer, startS3Server } from '../../test/support/s3-server.js';
import { describeObjectStoreConformance } from './object-store.conformance.js';
import { openObjectStore } from './open-store.js';
import { openS3Store, parseS3Uri, S3Store } from './s3-store.js';

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server?.stop();
});

const credentials = () => ({
  accessKeyId: server.accessKeyId,
  secretAccessKey: server.secretAccessKey,
});

// Each test gets its own prefix in the shared bucket, which also exercises prefix handling.
describeObjectStoreConformance(
  'S3Store (s3rver)',
  async () => {
    const store = new S3Store({
      bucket: server.bucket,
      prefix: `t-${randomBytes(6).toString('hex')}`,
      endpoint: server.endpoint,
      region: server.region,
      credentials: credentials(),
    });
    return { store, cleanup: () => store.close() };
  },
  { knownGaps: ['list-order-across-slash'] },
);

describe('S3Store', () => {
  it('parses s3:// URIs', () => {
    expect(parseS3Uri('s3://bucket')).toEqual({ bucket: 'bucket', prefix: '' });
    expect(parseS3Uri('s3://bucket/')).toEqual({ bucket: 'bucket', prefix: '' });
    expect(parseS3Uri('s3://bucket/a/b/')).toEqual({ bucket: 'bucket', prefix: 'a/b' });
    for (const bad of ['s3://', 'http://x/y', 's3:///x', 's3://b/a//c', 's3://b/../x']) {
      expect(() => parseS3Uri(bad), bad).toThrow(
        expect.objectContaining({ code: 'InvalidArgumentError' }),
      );
    }
  });

  it('opens from a URI with the endpoint from the environment', async () => {
    const saved = process.env.AWS_ENDPOINT_URL_S3;
    process.env.AWS_ENDPOINT_URL_S3 = server.endpoint;
    try {
      const store = await openObjectStore(`s3://${server.bucket}/env-test/`, {
        s3: { credentials: credentials() },
      });
      expect(store).toBeInstanceOf(S3Store);
      expect(store.uri).toBe(`s3://${server.bucket}/env-test`);
      await store.put('k', new Uint8Array([1, 2, 3]));
      expect(Array.from(await store.get('k'))).toEqual([1, 2, 3]);
      await store.close();
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_S3;
      else process.env.AWS_ENDPOINT_URL_S3 = saved;
    }
  });

  it('keeps stores with different prefixes apart', async () => {
    const open = (prefix: string) =>
      openS3Store(`s3://${server.bucket}/${prefix}`, {
        endpoint: server.endpoint,
        credentials: credentials(),
      });
    const [a, b] = await Promise.all([open('iso/a'), open('iso/ab')]);
    await a.put('k', new Uint8Array([1]));
    await b.put('k', new Uint8Array([2]));
    expect(await collectKeys(a)).toEqual(['k']);
    expect(Array.from(await a.get('k'))).toEqual([1]);
    await Promise.all([a.close(), b.close()]);
  });
});

async function collectKeys(store: S3Store): Promise<string[]> {
  const out: string[] = [];
  for await (const info of store.list('')) out.push(info.key);
  return out;
}

describe('S3Store: a connection dropped mid-body', () => {
  // A server that starts an object's body and then drops the connection, as an object store
  // does when it dies mid-read: the read fails as the outage it is, naming the bucket and host.
  let dropping: Server;
  let endpoint = '';
  beforeAll(async () => {
    dropping = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-length': '1000000', 'content-type': 'text/plain' });
      res.write(Buffer.alloc(1000, 'x'), () => setTimeout(() => res.socket?.destroy(), 20));
    });
    await new Promise<void>((r) => dropping.listen(0, '127.0.0.1', () => r()));
    endpoint = `http://127.0.0.1:${(dropping.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    dropping?.closeAllConnections();
    await new Promise((r) => dropping?.close(r));
  });

  it('is an ObjectStoreUnavailableError (connection lost), also for a stream', async () => {
    const store = new S3Store({
      bucket: 'dropped',
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDROPPED', secretAccessKey: 'Dropped-Secret-Key-1' },
    });
    try {
      const expected = {
        code: 'ObjectStoreUnavailableError',
        data: expect.objectContaining({ reason: 'connection lost', bucket: 'dropped' }),
      };
      await expect(store.get('k')).rejects.toMatchObject(expected);
      const stream = await store.getStream('k');
      await expect(buffer(stream)).rejects.toMatchObject(expected);
    } finally {
      await store.close();
    }
  });
});
