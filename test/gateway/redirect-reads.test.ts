// `--redirect-reads` end to end: a repository on S3 (s3rver), served with the option; a signed
// GetObject through the gateway answers 307 with a presigned URL of the backing object, and a
// client that follows it (fetch) gets the bytes and the entry's content type from the store.
// A conditional GET and a read with the option off are served by the gateway itself (HEAD,
// packed and imported objects: src/server/gateway/redirect-reads.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Identities, ServerKey } from '../../src/auth/index.js';
import { initRepository } from '../../src/index.js';
import { RepositoryHost } from '../../src/internal.js';
import { buildServer } from '../../src/server/app.js';
import { presignUrl } from '../../src/server/gateway/sigv4/index.js';
import { type S3TestServer, startS3Server } from '../support/s3-server.js';

describe('--redirect-reads on a repository on S3', () => {
  let s3: S3TestServer;
  let dir: string;
  let host: RepositoryHost;
  const apps: FastifyInstance[] = [];
  let key: { accessKeyId: string; secretAccessKey: string };
  let ids: Identities;
  const saved = { ...process.env };
  const bytes = Buffer.from('id,v\n1,redirected\n');

  beforeAll(async () => {
    s3 = await startS3Server();
    // The repository's store takes its S3 keys from the environment, as `sluice serve` does.
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      AWS_REGION: s3.region,
    });
    dir = mkdtempSync(join(tmpdir(), 'sluice-redirect-e2e-'));
    const repo = await initRepository(join(dir, 'repo'), {
      name: 'lake',
      committer: 'setup',
      storage: `s3://${s3.bucket}/lake`,
      s3Endpoint: s3.endpoint,
    });
    await repo.putObject('main', 'a.csv', bytes, { contentType: 'text/csv' });
    await repo.commit('main', { message: 'a' });
    await repo.close();
    host = await RepositoryHost.open(join(dir, 'repo'), { committer: 'setup' });
    ids = new Identities(host.meta, ServerKey.generate());
    key = await ids.bootstrap();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await host?.close();
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
    process.env = saved;
  });

  async function serve(redirectReads: boolean): Promise<string> {
    const app = await buildServer({
      host,
      auth: ids,
      logger: false,
      processMetrics: false,
      gateway: { redirectReads },
    });
    apps.push(app);
    await app.listen({ host: '127.0.0.1', port: 0 });
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  }

  const signed = (base: string, path: string) =>
    presignUrl({
      method: 'GET',
      url: `${base}/lake/main/${path}`,
      accessKeyId: key.accessKeyId,
      secretAccessKey: key.secretAccessKey,
      expiresSeconds: 60,
    });

  it('a GET is a 307 to the store; following it gives the bytes and the content type', async () => {
    const base = await serve(true);
    const first = await fetch(signed(base, 'a.csv'), { redirect: 'manual' });
    expect(first.status).toBe(307);
    const location = new URL(first.headers.get('location') as string);
    expect(location.origin).toBe(s3.endpoint);
    expect(location.pathname).toMatch(
      new RegExp(`^/${s3.bucket}/lake/data/[0-9a-f]{2}/[0-9a-f]{64}$`),
    );
    const followed = await fetch(signed(base, 'a.csv'));
    expect(followed.status).toBe(200);
    expect(followed.url.startsWith(s3.endpoint)).toBe(true);
    expect(Buffer.from(await followed.arrayBuffer())).toEqual(bytes);
    expect(followed.headers.get('content-type')).toBe('text/csv');
  });

  it('a conditional GET is answered by the gateway; without the option nothing is redirected', async () => {
    const base = await serve(true);
    const conditional = await fetch(signed(base, 'a.csv'), {
      headers: { 'if-none-match': '"nope"' },
      redirect: 'manual',
    });
    expect(conditional.status).toBe(200);
    expect(Buffer.from(await conditional.arrayBuffer())).toEqual(bytes);
    const off = await serve(false);
    const served = await fetch(signed(off, 'a.csv'), { redirect: 'manual' });
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(bytes);
  });
});
