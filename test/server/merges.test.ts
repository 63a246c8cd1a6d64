// Merge, revert and cherry-pick in-process: a merge lands (fast-forward or merge commit) and is
// recorded as a merge event; conflicts are 409 with the paths; a protected destination's gate runs
// the checks and a refusal is 412 with its report; permissions are asked on the destination (with
// the source) — and a refused merge moves nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest, listEvents } from '../../src/index.js';
import { type ApiServer, startApiServer } from '../support/api-server.js';

let s: ApiServer;
afterEach(async () => {
  await s.close();
});

const put = async (path: string, body: string, branch: string, user = 'admin') => {
  const r = await s.call(user, {
    method: 'PUT',
    url: `${s.base}/branches/${branch}/objects?path=${encodeURIComponent(path)}`,
    payload: body,
    headers: { 'content-type': 'text/plain' },
  });
  expect(r.statusCode).toBe(201);
};
const post = (user: string, url: string, payload: object = {}) =>
  s.call(user, { method: 'POST', url: s.base + url, payload });
const headOf = async (branch: string) =>
  (await s.call('admin', { method: 'GET', url: `${s.base}/branches/${branch}` })).json()
    .head as string;
const branch = async (name: string, source = 'main', user = 'admin') =>
  expect((await post(user, '/branches', { name, source })).statusCode).toBe(201);
const commitOn = async (b: string, user = 'admin') =>
  expect((await post(user, `/branches/${b}/commits`, { message: `on ${b}` })).statusCode).toBe(201);

async function merges() {
  const repo = await s.host.get(s.repository);
  const out: { outcome: string; source: string }[] = [];
  for await (const e of listEvents(repo, { types: ['merge'] }))
    out.push(e as unknown as { outcome: string; source: string });
  return out;
}

describe('POST …/refs/{source}/merge/{destination}', () => {
  it('merges, as the signed-in user, and records the merge event', async () => {
    s = await startApiServer();
    await branch('feature');
    await put('a.txt', 'a', 'feature');
    await commitOn('feature');
    await put('m.txt', 'm', 'main');
    await commitOn('main');
    const r = await post('dev', '/refs/feature/merge/main', { message: 'bring feature' });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.merge).toMatchObject({
      source: 'feature',
      destination: 'main',
      upToDate: false,
      fastForward: false,
      applied: 1,
      commit: { message: 'bring feature', committer: 'dev' },
    });
    expect(typeof doc.event).toBe('number');
    expect(await headOf('main')).toBe(doc.merge.commit.id);
    expect(await merges()).toMatchObject([{ outcome: 'success', source: 'feature' }]);
    const again = await post('dev', '/refs/feature/merge/main');
    expect(again.json().merge.upToDate).toBe(true);
    const metrics = await s.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/sluice_merges_total\{outcome="success"\} 2/);
  });

  it('answers conflicts with 409 and the paths, and moves nothing', async () => {
    s = await startApiServer();
    await put('a.txt', 'base', 'main');
    await commitOn('main');
    await branch('feature');
    await put('a.txt', 'feature', 'feature');
    await commitOn('feature');
    await put('a.txt', 'main', 'main');
    await commitOn('main');
    const before = await headOf('main');
    const r = await post('dev', '/refs/feature/merge/main');
    expect(r.statusCode).toBe(409);
    expect(r.json().error).toMatchObject({ code: 'MergeConflictError', data: { count: 1 } });
    expect(await headOf('main')).toBe(before);
    expect(await merges()).toMatchObject([{ outcome: 'failure' }]);
    const wins = await post('dev', '/refs/feature/merge/main', { strategy: 'source-wins' });
    expect(wins.statusCode).toBe(200);
    expect(wins.json().merge.resolved).toMatchObject([{ path: 'a.txt' }]);
  });

  it('refuses a bad body (400), unknown refs (404), and merges the permissions do not allow (403)', async () => {
    s = await startApiServer({ sluiceYml: 'gates:\n  - branch: main\n' });
    await branch('feature');
    await put('a.txt', 'a', 'feature');
    await commitOn('feature');
    const before = await headOf('main');
    const bad = await post('dev', '/refs/feature/merge/main', { strategy: 'ours' });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'InvalidArgumentError']);
    const unknown = await post('admin', '/refs/nope/merge/feature');
    expect(unknown.statusCode).toBe(404);
    // Developers merge only into unprotected branches; Ingestors only from ingest/* sources.
    const dev = await post('dev', '/refs/feature/merge/main');
    expect([dev.statusCode, dev.json().error.code]).toEqual([403, 'PermissionDeniedError']);
    const ingestor = await post('ingestor', '/refs/feature/merge/main');
    expect(ingestor.statusCode).toBe(403);
    expect(await headOf('main')).toBe(before);
    // The merge that ran and failed is recorded (as `sluice merge` records it); refused requests
    // never reached the merge.
    expect(await merges()).toMatchObject([{ outcome: 'error', source: 'nope' }]);
  });

  it('runs the gate of a protected destination: a refusal is 412 with its report', async () => {
    s = await startApiServer({
      sluiceYml: 'gates:\n  - branch: main\n',
      files: {
        'checks/orders.yml':
          'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: amount\n        tests:\n          - between: {min: 0}\n',
      },
    });
    await branch('ingest/orders', 'main', 'ingestor');
    const csv = join(s.root, 'orders.csv');
    writeFileSync(csv, 'id,amount\n1,10\n2,-5\n');
    await ingest(await s.host.get(s.repository), csv, {
      table: 'orders',
      branch: 'ingest/orders',
      commit: { message: 'orders' },
    });
    const before = await headOf('main');
    const r = await post('ingestor', '/refs/ingest%2Forders/merge/main');
    expect(r.statusCode).toBe(412);
    expect(r.json().error.code).toBe('GateFailedError');
    expect(r.json().error.data.failed.length).toBeGreaterThan(0);
    expect(await headOf('main')).toBe(before);
    expect(await merges()).toMatchObject([{ outcome: 'failure' }]);
    const metrics = await s.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/sluice_gate_refusals_total 1/);
  });
});

describe('revert and cherry-pick', () => {
  it('commit the inverse of a commit, or the commit again, on a branch', async () => {
    s = await startApiServer();
    await put('a.txt', 'a', 'main');
    await commitOn('main');
    const added = await headOf('main');
    await branch('other', `${added}~1`);
    const picked = await post('dev', '/branches/other/cherry-pick', { ref: added });
    expect(picked.statusCode).toBe(201);
    expect(picked.json().committer).toBe('dev');
    const reverted = await post('dev', '/branches/main/revert', { ref: added });
    expect(reverted.statusCode).toBe(201);
    const ls = await s.call('dev', {
      method: 'GET',
      url: `${s.base}/refs/main/objects/ls`,
    });
    expect(ls.json().results).toEqual([]);
    const before = await headOf('main');
    expect((await post('dev', '/branches/main/revert', {})).statusCode).toBe(400);
    expect((await post('dev', '/branches/main/revert', { ref: 'nope' })).statusCode).toBe(404);
    expect((await post('viewer', '/branches/main/revert', { ref: added })).statusCode).toBe(403);
    expect(await headOf('main')).toBe(before);
  });
});
