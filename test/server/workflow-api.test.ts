// The workflow's data routes in-process: events (paged by id, filters), outcome metrics, sandboxes
// (list, create as the request's user, delete; private ones hidden from others), lineage and
// impact from the server's project — their answers (the CLI's --json shapes), schema refusals
// (400), errors (404, 403), and that a refused request changes nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { recordEvent } from '../../src/index.js';
import { as, type DataServer, dataServer } from '../support/api-server-data.js';

let s: DataServer;
const base = '/api/v1/repositories/shop';

beforeEach(async () => {
  s = await dataServer();
}, 60_000);
afterEach(async () => s?.close());

const get = (url: string, user = 'viewer') =>
  s.app.inject({ method: 'GET', url: `${base}${url}`, headers: as(user) });

async function deploys(): Promise<void> {
  const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  for (const [i, daysAgo] of [5, 3, 1].entries())
    await recordEvent(s.repo, {
      type: 'deploy',
      outcome: 'success',
      actor: i === 1 ? 'carol' : 'dave',
      time: at(daysAgo),
      environment: 'production',
      deployId: `d${i}`,
      colour: i % 2 ? 'green' : 'blue',
      commit: `c${i}`,
      smoke: 'pass',
    });
  await recordEvent(s.repo, {
    type: 'merge',
    outcome: 'failure',
    actor: 'carol',
    source: 'feat',
    destination: 'main',
  });
}

describe('GET …/events', () => {
  test('the log oldest first, as `sluice events --json` shows each event, paged by id', async () => {
    await deploys();
    const all = (await get('/events')).json();
    expect(all.results.map((e: { type: string }) => e.type)).toEqual([
      'deploy',
      'deploy',
      'deploy',
      'merge',
    ]);
    expect(Object.keys(all.results[0]).slice(0, 5)).toEqual([
      'id',
      'time',
      'type',
      'outcome',
      'actor',
    ]);
    expect(all.results[0]).toMatchObject({ environment: 'production', deployId: 'd0' });
    const p1 = (await get('/events?amount=3')).json();
    expect(p1.pagination).toMatchObject({ hasMore: true, nextOffset: String(p1.results[2].id) });
    const p2 = (await get(`/events?amount=3&after=${p1.pagination.nextOffset}`)).json();
    expect(p2.results.map((e: { type: string }) => e.type)).toEqual(['merge']);
    expect(p2.pagination.hasMore).toBe(false);
  });

  test('filters: type, actor, since, order', async () => {
    await deploys();
    const merges = (await get('/events?type=merge')).json().results;
    expect(merges).toHaveLength(1);
    const carol = (await get('/events?actor=carol')).json().results;
    expect(carol.map((e: { type: string }) => e.type)).toEqual(['deploy', 'merge']);
    const recent = (await get('/events?since=2d&type=deploy')).json().results;
    expect(recent.map((e: { deployId: string }) => e.deployId)).toEqual(['d2']);
    const newest = (await get('/events?order=desc&amount=2')).json();
    expect(newest.results.map((e: { type: string }) => e.type)).toEqual(['merge', 'deploy']);
    const older = (
      await get(`/events?order=desc&amount=2&after=${newest.pagination.nextOffset}`)
    ).json();
    expect(older.results.map((e: { deployId: string }) => e.deployId)).toEqual(['d1', 'd0']);
  });

  test('refusals: unknown type, bad since, bad order (400); no repo:Read (403)', async () => {
    const t = await get('/events?type=nope');
    expect(t.statusCode).toBe(400);
    expect(t.json().error).toMatchObject({
      code: 'InvalidArgumentError',
      data: { argument: 'type' },
    });
    expect((await get('/events?since=yesterday')).statusCode).toBe(400);
    expect((await get('/events?order=sideways')).statusCode).toBe(400);
    expect((await get('/events?amount=1001')).statusCode).toBe(400);
    expect((await get('/events', 'nobody')).statusCode).toBe(403);
    expect(
      (
        await s.app.inject({
          method: 'GET',
          url: '/api/v1/repositories/nope/events',
          headers: as('admin'),
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('GET …/metrics', () => {
  test('the outcome metrics of the window, as `sluice metrics --json`', async () => {
    await deploys();
    const r = await get('/metrics?since=7d');
    expect(r.statusCode).toBe(200);
    const m = r.json();
    expect(m).toMatchObject({
      environment: 'production',
      deploymentFrequency: { deploys: 3 },
      changeFailureRate: { deploys: 3, failed: 0, rate: 0 },
    });
    expect(Object.keys(m)).toEqual([
      'environment',
      'since',
      'until',
      'days',
      'deploymentFrequency',
      'leadTime',
      'changeFailureRate',
      'timeToRestore',
      'loads',
      'daily',
    ]);
    expect((await get('/metrics?since=2d')).json().deploymentFrequency.deploys).toBe(1);
    expect((await get('/metrics?env=staging')).json().deploymentFrequency.deploys).toBe(0);
  });

  test('an empty window and a bad time are refused (400); no repo:Read (403)', async () => {
    const r = await get('/metrics?since=1d&until=2d');
    expect(r.statusCode).toBe(400);
    expect(r.json().error.data).toMatchObject({ argument: 'until' });
    expect((await get('/metrics?since=soon')).statusCode).toBe(400);
    expect((await get('/metrics', 'nobody')).statusCode).toBe(403);
  });
});

describe('sandboxes', () => {
  const create = (body: object, user = 'dev') =>
    s.app.inject({ method: 'POST', url: `${base}/sandboxes`, headers: as(user), payload: body });
  const remove = (name: string, user = 'dev') =>
    s.app.inject({ method: 'DELETE', url: `${base}/sandboxes/${name}`, headers: as(user) });

  test('create: the request user owns it; list shows it; delete removes branch and record', async () => {
    const r = await create({ name: 'exp', ttl: '7d' });
    expect(r.statusCode).toBe(201);
    const sb = r.json().sandbox;
    expect(sb).toMatchObject({ name: 'exp', branch: 'sandbox/exp', from: 'main', owner: 'dev' });
    expect(Object.keys(sb)).toEqual([
      'name',
      'branch',
      'from',
      'fromCommit',
      'owner',
      'private',
      'createdAt',
      'expiresAt',
    ]);
    expect(sb.expiresAt).not.toBeNull();
    const list = (await get('/sandboxes')).json();
    expect(list.results).toHaveLength(1);
    expect(list.results[0]).toMatchObject({ name: 'exp', state: 'active', uncommitted: false });
    const d = await remove('exp');
    expect(d.statusCode).toBe(200);
    expect(d.json()).toEqual({
      deleted: { sandbox: 'exp', branch: 'sandbox/exp', branchDeleted: true },
    });
    expect((await get('/sandboxes')).json().results).toEqual([]);
    await expect(s.repo.getBranch('sandbox/exp')).rejects.toThrow();
  });

  test('from another ref; an unknown ref is 404, a taken name 409, a bad name or ttl 400', async () => {
    await s.repo.createBranch('feat', { from: 'main' });
    expect((await create({ name: 'a', from: 'feat' })).json().sandbox.from).toBe('feat');
    expect((await create({ name: 'b', from: 'nope' })).statusCode).toBe(404);
    expect((await create({ name: 'a' })).statusCode).toBe(409);
    const bad = await create({ name: 'a/b' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('InvalidNameError');
    expect((await create({ name: 'c', ttl: 'forever' })).statusCode).toBe(400);
    expect((await create({ name: 'c', private: 'yes' })).statusCode).toBe(400);
    expect((await create({})).statusCode).toBe(400);
    expect((await remove('nope')).statusCode).toBe(404);
  });

  test('a user without sandbox:Create is refused, and nothing is created', async () => {
    const r = await create({ name: 'mine' }, 'viewer');
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('PermissionDeniedError');
    expect((await get('/sandboxes', 'admin')).json().results).toEqual([]);
    await expect(s.repo.getBranch('sandbox/mine')).rejects.toThrow();
  });

  test('a user without branch:Delete cannot delete one, and it stays', async () => {
    await create({ name: 'keep' });
    expect((await remove('keep', 'viewer')).statusCode).toBe(403);
    expect((await get('/sandboxes')).json().results.map((x: { name: string }) => x.name)).toEqual([
      'keep',
    ]);
  });

  test('a private sandbox is listed to its owner and admins only, and only they may delete it', async () => {
    const r = await create({ name: 'secret', private: true });
    expect(r.statusCode).toBe(201);
    expect(r.json().sandbox).toMatchObject({ owner: 'dev', private: true });
    await create({ name: 'open' }, 'dev2');
    const names = async (user: string) =>
      (await get('/sandboxes', user)).json().results.map((x: { name: string }) => x.name);
    expect(await names('dev')).toEqual(['open', 'secret']);
    expect(await names('admin')).toEqual(['open', 'secret']);
    expect(await names('dev2')).toEqual(['open']);
    expect(await names('viewer')).toEqual(['open']);
    expect((await remove('secret', 'dev2')).statusCode).toBe(403);
    expect(await names('dev')).toEqual(['open', 'secret']);
    expect((await remove('secret')).statusCode).toBe(200);
  });

  test('list pages by name', async () => {
    for (const name of ['a', 'b', 'c']) await create({ name });
    const p1 = (await get('/sandboxes?amount=2')).json();
    expect(p1.results.map((x: { name: string }) => x.name)).toEqual(['a', 'b']);
    expect(p1.pagination).toMatchObject({ hasMore: true, nextOffset: 'b' });
    const p2 = (await get('/sandboxes?amount=2&after=b')).json();
    expect(p2.results.map((x: { name: string }) => x.name)).toEqual(['c']);
  });
});

describe('lineage and impact', () => {
  function project(): void {
    writeFileSync(join(s.dir, 'sluice.yml'), 'name: mini\n');
    mkdirSync(join(s.dir, 'models'), { recursive: true });
    writeFileSync(
      join(s.dir, 'models', 'sources.yml'),
      'version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n',
    );
    writeFileSync(
      join(s.dir, 'models', 'paid.sql'),
      "select id, amount from {{ source('shop', 'orders') }} where status = 'paid'\n",
    );
  }

  test('lineage at a ref: nodes, edges and columns, as `sluice lineage --json`', async () => {
    project();
    const r = await get('/refs/main/lineage');
    expect(r.statusCode).toBe(200);
    const l = r.json();
    expect(Object.keys(l)).toEqual(['ref', 'nodes', 'edges', 'columns']);
    expect(l.ref).toBe('main');
    expect(l.nodes.map((n: { id: string }) => n.id).sort()).toEqual([
      'model.mini.paid',
      'source.mini.shop.orders',
    ]);
    expect(l.edges).toEqual([['source.mini.shop.orders', 'model.mini.paid']]);
    expect(l.columns['model.mini.paid'].columns.amount).toEqual([
      { relation: 'orders', column: 'amount' },
    ]);
    const only = (await get('/refs/main/lineage?node=paid')).json();
    expect(only.nodes).toHaveLength(2);
  });

  test('impact of a branch against a base, as `sluice impact --json`', async () => {
    project();
    await s.repo.createBranch('feat', { from: 'main' });
    const r = await get('/impact?base=main&branch=feat');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      base: 'main',
      branch: 'feat',
      changed: [],
      downstream: [],
      exposures: [],
      columnChanges: [],
      breaking: [],
      brokenExposures: [],
    });
    expect((await get('/impact')).statusCode).toBe(400);
    expect((await get('/impact?base=nope')).statusCode).toBe(404);
    expect((await get('/impact?base=main', 'nobody')).statusCode).toBe(403);
  });

  test('without a project on the server: ProjectError (400); unknown ref 404', async () => {
    const r = await get('/refs/main/lineage');
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('ProjectError');
    project();
    expect((await get('/refs/nope/lineage')).statusCode).toBe(404);
    expect((await get('/refs/main/lineage', 'nobody')).statusCode).toBe(403);
  });
});
