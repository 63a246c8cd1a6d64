// The commit routes in-process: commit (all, by paths, idempotent), the log with a path filter and
// pages, show, a branch's uncommitted changes and the diff of two refs — success, schema refusal,
// error mapping, and that a refused request changed nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.js';

let s: ApiServer;
beforeEach(async () => {
  s = await startApiServer();
});
afterEach(async () => {
  await s.close();
});

const put = async (path: string, body: string, branch = 'main') => {
  const r = await s.call('dev', {
    method: 'PUT',
    url: `${s.base}/branches/${branch}/objects?path=${encodeURIComponent(path)}`,
    payload: body,
    headers: { 'content-type': 'text/plain' },
  });
  expect(r.statusCode).toBe(201);
};
const commit = (body: object, user = 'dev', branch = 'main') =>
  s.call(user, { method: 'POST', url: `${s.base}/branches/${branch}/commits`, payload: body });
const get = (url: string, user = 'viewer') => s.call(user, { method: 'GET', url: s.base + url });
const head = async () => (await get('/branches/main')).json().head as string;

describe('POST …/branches/{branch}/commits', () => {
  it('commits what is staged, as the signed-in user, with metadata', async () => {
    await put('a.txt', 'a');
    const r = await commit({ message: 'add a', metadata: { ticket: 'T-1' } });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      message: 'add a',
      committer: 'dev',
      metadata: { ticket: 'T-1' },
    });
    expect(await head()).toBe(r.json().id);
    expect((await get('/branches/main/diff')).json().results).toEqual([]);
  });

  it('commits only the named paths; the rest stays staged', async () => {
    await put('a/1.txt', '1');
    await put('b/2.txt', '2');
    const r = await commit({ message: 'only a', paths: ['a'] });
    expect(r.statusCode).toBe(201);
    const staged = (await get('/branches/main/diff')).json().results;
    expect(staged.map((c: { path: string }) => c.path)).toEqual(['b/2.txt']);
  });

  it('answers a retried idempotent commit with the first commit (200)', async () => {
    await put('a/1.txt', '1');
    const body = { message: 'once', paths: ['a'], idempotencyKey: 'req-1' };
    const first = await commit(body);
    expect(first.statusCode).toBe(201);
    const again = await commit(body);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const noPaths = await commit({ message: 'x', idempotencyKey: 'req-2' });
    expect([noPaths.statusCode, noPaths.json().error.code]).toEqual([400, 'InvalidArgumentError']);
  });

  it('refuses an empty message (400), nothing staged (412), a viewer (403), unknown branch (404)', async () => {
    const before = await head();
    expect((await commit({ message: '' })).statusCode).toBe(400);
    const empty = await commit({ message: 'x' });
    expect([empty.statusCode, empty.json().error.code]).toEqual([412, 'EmptyCommitError']);
    await put('a.txt', 'a');
    const denied = await commit({ message: 'x' }, 'viewer');
    expect([denied.statusCode, denied.json().error.code]).toEqual([403, 'PermissionDeniedError']);
    const missing = await commit({ message: 'x' }, 'dev', 'nope');
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'BranchNotFoundError']);
    expect(await head()).toBe(before);
    expect((await get('/branches/main/diff')).json().results).toHaveLength(1);
  });

  it('refuses a commit on a protected branch (412) and changes nothing', async () => {
    await s.close();
    s = await startApiServer({ sluiceYml: 'gates:\n  - branch: main\n' });
    const before = await head();
    const r = await commit({ message: 'x', allowEmpty: true }, 'admin');
    expect([r.statusCode, r.json().error.code]).toEqual([412, 'ProtectedBranchError']);
    expect(await head()).toBe(before);
  });
});

describe('log, show, diff', () => {
  let ids: string[];
  beforeEach(async () => {
    ids = [];
    for (const [path, body] of [
      ['a.txt', '1'],
      ['b.txt', '2'],
      ['a.txt', '3'],
    ] as const) {
      await put(path, body);
      ids.push((await commit({ message: `set ${path}=${body}` })).json().id);
    }
  });

  it('log: newest first, filtered by path, in pages', async () => {
    const all = (await get('/refs/main/commits')).json();
    expect(all.results.slice(0, 3).map((c: { id: string }) => c.id)).toEqual(ids.toReversed());
    const a = (await get('/refs/main/commits?path=a.txt')).json();
    expect(a.results.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[0]]);
    const p1 = (await get('/refs/main/commits?amount=2')).json();
    expect(p1.pagination).toMatchObject({ hasMore: true, nextOffset: ids[1] });
    const p2 = (await get(`/refs/main/commits?amount=2&after=${ids[1]}`)).json();
    expect(p2.results[0].id).toBe(ids[0]);
    expect((await get('/refs/nope/commits')).statusCode).toBe(404);
    expect((await get('/refs/main/commits?amount=x')).statusCode).toBe(400);
    expect((await get('/refs/main/commits', 'nobody')).statusCode).toBe(403);
  });

  it('show: the commit and its changes against its first parent', async () => {
    const r = await get(`/commits/${ids[1]}`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      commit: { id: ids[1], message: 'set b.txt=2' },
      changes: [{ type: 'added', path: 'b.txt' }],
      counts: { added: 1, removed: 0, changed: 0, total: 1 },
    });
    const byRef = await get('/commits/main~1');
    expect(byRef.json().commit.id).toBe(ids[1]);
    expect((await get('/commits/0000000000000000')).statusCode).toBe(404);
  });

  it('diff between refs and of a branch’s staged changes, paged', async () => {
    const d = (await get(`/refs/${ids[0]}/diff/main`)).json();
    expect(d.results.map((c: { type: string; path: string }) => [c.type, c.path])).toEqual([
      ['changed', 'a.txt'],
      ['added', 'b.txt'],
    ]);
    const p = (await get(`/refs/${ids[0]}/diff/main?amount=1&after=a.txt`)).json();
    expect(p.results.map((c: { path: string }) => c.path)).toEqual(['b.txt']);
    await put('c.txt', 'c');
    const staged = (await get('/branches/main/diff')).json();
    expect(staged.results).toMatchObject([{ type: 'added', path: 'c.txt' }]);
    expect((await get('/refs/main/diff/nope')).statusCode).toBe(404);
    expect((await get('/branches/main/diff?prefix=../x')).statusCode).toBe(400);
  });
});
