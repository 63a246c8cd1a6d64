// Redirected reads against a real (fake) S3: the URL redirectTarget hands out fetches the entry's
// bytes from s3rver with the entry's content type, and its signature is the one the AWS SDK's own
// signer computes (s3rver checks expiry and the key id, not V4 signatures). Packed objects,
// conditional requests, HEAD and a server without the option are not redirected.

import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Repository } from '../../src/core/repository.js';
import type { MetaStore } from '../../src/meta/meta-store.js';
import { openSqliteMetaStore } from '../../src/meta/sqlite-meta-store.js';
import type { GatewayContext } from '../../src/server/gateway/operation.js';
import {
  REDIRECT_EXPIRES_SECONDS,
  redirectTarget,
} from '../../src/server/gateway/redirect-reads.js';
import type { S3Request } from '../../src/server/gateway/s3-request.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { openS3Store } from '../../src/storage/s3-store.js';
import { type S3TestServer, startS3Server } from '../support/s3-server.js';

/** SHA-256 and its HMAC as the SDK's signer asks for them, on node:crypto. */
class NodeSha256 {
  private h: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {}
}
function toBuffer(d: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof d === 'string') return Buffer.from(d);
  if (ArrayBuffer.isView(d)) return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  return Buffer.from(d);
}

const gateway = (redirectReads: boolean): GatewayContext =>
  ({ redirectReads, region: 'us-east-1', server: {} }) as unknown as GatewayContext;

function getRequest(path: string, extra: Partial<S3Request> = {}): S3Request {
  return {
    method: 'GET',
    bucket: 'repo',
    key: `main/${path}`,
    ref: 'main',
    path,
    query: new URLSearchParams(),
    headers: {},
    rawPath: `/repo/main/${path}`,
    rawQuery: '',
    requestId: 'r1',
    ...extra,
  };
}

describe('redirectTarget', () => {
  let s3: S3TestServer;
  let dir: string;
  let meta: MetaStore;
  let repo: Repository;
  beforeAll(async () => {
    s3 = await startS3Server();
    dir = mkdtempSync(join(tmpdir(), 'sluice-redirect-'));
    meta = await openSqliteMetaStore(join(dir, 'meta.db'));
    const store = await openS3Store(`s3://${s3.bucket}/lake`, {
      endpoint: s3.endpoint,
      region: s3.region,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    repo = await Repository.init(meta, store, { name: 'repo', committer: 't' });
  });
  afterAll(async () => {
    await repo?.close();
    await meta?.close();
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('presigns the backing object: the bytes, the content type and overrides, a signature AWS would compute', async () => {
    const bytes = Buffer.from('id,name\n1,ä (x)\n');
    const entry = await repo.putObject('main', 'dir/a b.csv', bytes, { contentType: 'text/csv' });
    const now = new Date();
    const req = getRequest('dir/a b.csv', {
      query: new URLSearchParams('response-content-disposition=attachment; filename="a b.csv"'),
    });
    const url = await redirectTarget(gateway(true), repo, entry, req, now);
    expect(url).toBeDefined();
    const target = url as URL;
    expect(target.origin).toBe(s3.endpoint);
    expect(target.pathname).toBe(
      `/${s3.bucket}/lake/data/${entry.address.slice(0, 2)}/${entry.address}`,
    );
    expect(target.searchParams.get('X-Amz-Expires')).toBe(String(REDIRECT_EXPIRES_SECONDS));

    const res = await fetch(target);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    expect(res.headers.get('content-type')).toBe('text/csv');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="a b.csv"');

    // The AWS SDK's signer, given the same request and time, computes the same signature.
    const signer = new SignatureV4({
      service: 's3',
      region: s3.region,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      sha256: NodeSha256,
      uriEscapePath: false,
    });
    const query: Record<string, string> = {};
    for (const [k, v] of target.searchParams) if (!k.startsWith('X-Amz-')) query[k] = v;
    const expected = await signer.presign(
      {
        method: 'GET',
        protocol: 'http:',
        hostname: target.hostname,
        port: Number(target.port),
        path: target.pathname,
        query,
        headers: { host: target.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      },
      {
        expiresIn: REDIRECT_EXPIRES_SECONDS,
        signingDate: now,
        // As S3's presigner: the payload is UNSIGNED-PAYLOAD, neither a header nor a parameter.
        unhoistableHeaders: new Set(['x-amz-content-sha256']),
        unsignableHeaders: new Set(['x-amz-content-sha256']),
      },
    );
    expect(target.searchParams.get('X-Amz-Signature')).toBe(expected.query?.['X-Amz-Signature']);
  });

  it('a ranged GET is redirected too: the store serves the same bytes of the same object', async () => {
    const bytes = Buffer.from('0123456789abcdef');
    const entry = await repo.putObject('main', 'range.bin', bytes);
    const url = await redirectTarget(gateway(true), repo, entry, getRequest('range.bin'));
    const res = await fetch(url as URL, { headers: { range: 'bytes=3-6' } });
    expect(res.status).toBe(206);
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('3456');
  });

  it('serves instead: without the option, HEAD, conditional GETs, packed objects', async () => {
    const entry = await repo.putObject('main', 'plain.txt', Buffer.from('plain'));
    expect(await redirectTarget(gateway(false), repo, entry, getRequest('plain.txt'))).toBe(
      undefined,
    );
    const head = getRequest('plain.txt', { method: 'HEAD' });
    expect(await redirectTarget(gateway(true), repo, entry, head)).toBe(undefined);
    for (const h of ['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since']) {
      const req = getRequest('plain.txt', { headers: { [h]: '"x"' } });
      expect(await redirectTarget(gateway(true), repo, entry, req)).toBe(undefined);
    }
    const packed = { ...entry, physical: `pack:${'0'.repeat(64)}:0` };
    expect(await redirectTarget(gateway(true), repo, packed, getRequest('plain.txt'))).toBe(
      undefined,
    );
    const external = { ...entry, external: { uri: 's3://elsewhere/x', etag: 'e' } };
    expect(await redirectTarget(gateway(true), repo, external, getRequest('plain.txt'))).toBe(
      undefined,
    );
  });

  it('a repository on a store without direct access is never redirected', async () => {
    const memMeta = await openSqliteMetaStore(join(dir, 'mem.db'));
    const mem = await Repository.init(memMeta, new MemoryStore(), { name: 'm', committer: 't' });
    try {
      const entry = await mem.putObject('main', 'a', Buffer.from('a'));
      expect(await redirectTarget(gateway(true), mem, entry, getRequest('a'))).toBe(undefined);
    } finally {
      await mem.close();
      await memMeta.close();
    }
  });
});
