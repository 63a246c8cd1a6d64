// The objects routes in-process: upload (raw bytes, content type, metadata, size limit), download
// with Range requests, HEAD, stat, list with delimiter and pagination, delete — each route's
// success, its schema refusal, its error mapping, and that a refused request changed nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.js';

let s: ApiServer;
beforeEach(async () => {
  s = await startApiServer({ server: { objectBodyLimit: 64 * 1024 } });
});
afterEach(async () => {
  await s.close();
});

const put = (user: string | undefined, path: string, body: string | Buffer, headers = {}) =>
  s.call(user, {
    method: 'PUT',
    url: `${s.base}/branches/main/objects?path=${encodeURIComponent(path)}`,
    payload: body,
    headers: { 'content-type': 'application/octet-stream', ...headers },
  });

const get = (user: string | undefined, path: string, headers = {}, ref = 'main') =>
  s.call(user, {
    method: 'GET',
    url: `${s.base}/refs/${ref}/objects?path=${encodeURIComponent(path)}`,
    headers,
  });

const status = async () =>
  (await s.call('admin', { method: 'GET', url: `${s.base}/branches/main/diff` })).json().results;

describe('PUT …/branches/{branch}/objects', () => {
  it('stages the bytes with the content type and the x-sluice-meta-* headers', async () => {
    const r = await put('dev', 'data/a.json', '{"x":1}', {
      'content-type': 'application/json',
      'x-sluice-meta-source': 'sensor-7',
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      path: 'data/a.json',
      size: 7,
      contentType: 'application/json',
      metadata: { source: 'sensor-7' },
    });
    const back = await get('viewer', 'data/a.json');
    expect(back.statusCode).toBe(200);
    expect(back.body).toBe('{"x":1}');
    expect(back.headers['content-type']).toContain('application/json');
    expect(back.headers.etag).toBe(`"${r.json().checksum}"`);
  });

  it('streams a body bigger than memory reading takes (spooled), and refuses one over the limit', async () => {
    const big = Buffer.alloc(60 * 1024, 7);
    const ok = await s.call('dev', {
      method: 'PUT',
      url: `${s.base}/branches/main/objects?path=big.bin`,
      payload: big,
      // No content-length: the body is spooled, as a chunked upload is.
      headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().size).toBe(big.length);
    const tooBig = await put('dev', 'huge.bin', Buffer.alloc(65 * 1024, 1));
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.code).toBe('PayloadTooLargeError');
    expect((await status()).map((c: { path: string }) => c.path)).toEqual(['big.bin']);
  });

  it('refuses a bad path (400), an unknown branch (404), a viewer (403) — staging nothing', async () => {
    const bad = await put('dev', '../etc/passwd', 'x');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('InvalidPathError');
    const missing = await s.call('dev', {
      method: 'PUT',
      url: `${s.base}/branches/nope/objects?path=a`,
      payload: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('BranchNotFoundError');
    const denied = await put('viewer', 'a.txt', 'x');
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('PermissionDeniedError');
    const anonymous = await put(undefined, 'a.txt', 'x');
    expect(anonymous.statusCode).toBe(401);
    const noPath = await s.call('dev', {
      method: 'PUT',
      url: `${s.base}/branches/main/objects`,
      payload: 'x',
    });
    expect(noPath.statusCode).toBe(400);
    expect(await status()).toEqual([]);
  });

  it('refuses a write to a protected branch (412), staging nothing', async () => {
    await s.close();
    s = await startApiServer({ sluiceYml: 'gates:\n  - branch: main\n' });
    const r = await put('admin', 'a.txt', 'x');
    expect(r.statusCode).toBe(412);
    expect(r.json().error.code).toBe('ProtectedBranchError');
    expect(await status()).toEqual([]);
  });
});

describe('GET/HEAD …/refs/{ref}/objects', () => {
  beforeEach(async () => {
    expect((await put('dev', 'f.txt', '0123456789')).statusCode).toBe(201);
  });

  it('answers byte ranges with 206 and Content-Range', async () => {
    const r = await get('viewer', 'f.txt', { range: 'bytes=2-4' });
    expect(r.statusCode).toBe(206);
    expect(r.body).toBe('234');
    expect(r.headers['content-range']).toBe('bytes 2-4/10');
    const tail = await get('viewer', 'f.txt', { range: 'bytes=-3' });
    expect(tail.body).toBe('789');
    const open = await get('viewer', 'f.txt', { range: 'bytes=7-' });
    expect(open.body).toBe('789');
    const clipped = await get('viewer', 'f.txt', { range: 'bytes=8-100' });
    expect([clipped.statusCode, clipped.body]).toEqual([206, '89']);
    const several = await get('viewer', 'f.txt', { range: 'bytes=0-1,3-4' });
    expect([several.statusCode, several.body]).toEqual([200, '0123456789']);
  });

  it('reads a range of a large (unpacked) object from the store', async () => {
    await s.close();
    s = await startApiServer();
    const big = Buffer.alloc(2 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    expect((await put('dev', 'big.bin', big)).statusCode).toBe(201);
    const r = await get('viewer', 'big.bin', { range: 'bytes=1500000-1500009' });
    expect(r.statusCode).toBe(206);
    expect(r.rawPayload.equals(big.subarray(1500000, 1500010))).toBe(true);
    const whole = await get('viewer', 'big.bin');
    expect(whole.rawPayload.equals(big)).toBe(true);
  });

  it('answers 416 for a range past the end', async () => {
    const r = await get('viewer', 'f.txt', { range: 'bytes=10-' });
    expect(r.statusCode).toBe(416);
    expect(r.headers['content-range']).toBe('bytes */10');
    expect(r.json().error.code).toBe('RangeNotSatisfiableError');
  });

  it('HEAD answers the headers only', async () => {
    const r = await s.call('viewer', {
      method: 'HEAD',
      url: `${s.base}/refs/main/objects?path=f.txt`,
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-length']).toBe('10');
    expect(r.body).toBe('');
  });

  it('maps an unknown path, ref or repository to 404 and a bad path to 400', async () => {
    expect((await get('viewer', 'nope.txt')).json().error.code).toBe('PathNotFoundError');
    const ref = await get('viewer', 'f.txt', {}, 'nope');
    expect([ref.statusCode, ref.json().error.code]).toEqual([404, 'RefNotFoundError']);
    const repo = await s.call('admin', {
      method: 'GET',
      url: '/api/v1/repositories/nope/refs/main/objects?path=f.txt',
    });
    expect(repo.statusCode).toBe(404);
    expect((await get('viewer', '../f.txt')).statusCode).toBe(400);
    expect((await get('nobody', 'f.txt')).statusCode).toBe(403);
  });
});

describe('stat, ls, delete', () => {
  beforeEach(async () => {
    for (const p of ['a/1.txt', 'a/2.txt', 'a/b/3.txt', 'c.txt', 'd/4.txt'])
      expect((await put('dev', p, p)).statusCode).toBe(201);
  });

  it('stat answers the entry', async () => {
    const r = await s.call('viewer', {
      method: 'GET',
      url: `${s.base}/refs/main/objects/stat?path=c.txt`,
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ path: 'c.txt', size: 5, contentType: 'text/plain' });
    const missing = await s.call('viewer', {
      method: 'GET',
      url: `${s.base}/refs/main/objects/stat?path=x`,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('ls collapses prefixes with a delimiter and pages with after/amount', async () => {
    const ls = async (q: string) =>
      (
        await s.call('viewer', { method: 'GET', url: `${s.base}/refs/main/objects/ls?${q}` })
      ).json();
    const top = await ls('delimiter=/');
    expect(top.results).toEqual([
      { type: 'prefix', path: 'a/' },
      expect.objectContaining({ type: 'object', path: 'c.txt' }),
      { type: 'prefix', path: 'd/' },
    ]);
    const first = await ls('delimiter=/&amount=1');
    expect(first.results.map((i: { path: string }) => i.path)).toEqual(['a/']);
    expect(first.pagination).toMatchObject({ hasMore: true, nextOffset: 'a/' });
    const second = await ls('delimiter=/&amount=1&after=a/');
    expect(second.results.map((i: { path: string }) => i.path)).toEqual(['c.txt']);
    const under = await ls('prefix=a/&delimiter=/');
    expect(under.results.map((i: { path: string }) => i.path)).toEqual([
      'a/1.txt',
      'a/2.txt',
      'a/b/',
    ]);
    const all = await ls('amount=2&after=a/2.txt');
    expect(all.results.map((i: { path: string }) => i.path)).toEqual(['a/b/3.txt', 'c.txt']);
    const bad = await s.call('viewer', {
      method: 'GET',
      url: `${s.base}/refs/main/objects/ls?amount=0`,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('delete stages removals, all or nothing', async () => {
    const del = (q: string, user = 'dev') =>
      s.call(user, { method: 'DELETE', url: `${s.base}/branches/main/objects?${q}` });
    const partial = await del('path=c.txt&path=nope');
    expect(partial.statusCode).toBe(404);
    expect((await get('viewer', 'c.txt')).statusCode).toBe(200);
    expect((await del('path=c.txt', 'viewer')).statusCode).toBe(403);
    expect((await get('viewer', 'c.txt')).statusCode).toBe(200);
    const r = await del('path=c.txt&path=a&recursive=true');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      branch: 'main',
      removed: expect.arrayContaining(['c.txt', 'a/1.txt', 'a/2.txt', 'a/b/3.txt']),
    });
    expect((await get('viewer', 'c.txt')).statusCode).toBe(404);
  });
});
