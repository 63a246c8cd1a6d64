// The tables routes in-process: list, show, preview, history and diff at refs — their answers
// (the CLI's --json shapes), their schema refusals (400), and their errors (404 unknown table or
// ref, 401 without credentials, 403 for a user without repo:Read or a private sandbox of another).
// The reads share one repository; none writes to it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { as, type DataServer, dataServer, ingestCsv } from '../support/api-server-data.js';

let s: DataServer;
const base = '/api/v1/repositories/shop';

beforeAll(async () => {
  s = await dataServer();
  await s.repo.createBranch('feat/x', { from: 'main' });
  await ingestCsv(s.repo, s.dir, 'orders', 'id,amount,status\n2,25,paid\n4,1,open\n', {
    branch: 'feat/x',
    mode: 'upsert',
  });
}, 60_000);
afterAll(async () => s?.close());

const get = (url: string, user = 'viewer') =>
  s.app.inject({ method: 'GET', url: `${base}${url}`, headers: as(user) });

describe('GET …/refs/{ref}/tables', () => {
  test('lists the tables with rows, files and size, a page at a time', async () => {
    const r = await get('/refs/main/tables');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.ref).toBe('main');
    expect(body.results.map((t: { name: string }) => t.name)).toEqual(['customers', 'orders']);
    expect(body.results[1]).toMatchObject({
      name: 'orders',
      rows: 3,
      files: 1,
      primaryKey: ['id'],
    });
    expect(Object.keys(body.results[1])).toEqual([
      'name',
      'columns',
      'primaryKey',
      'rows',
      'files',
      'bytes',
    ]);
    const first = (await get('/refs/main/tables?amount=1')).json();
    expect(first.results.map((t: { name: string }) => t.name)).toEqual(['customers']);
    expect(first.pagination).toMatchObject({ hasMore: true, nextOffset: 'customers' });
    const second = (await get('/refs/main/tables?amount=1&after=customers')).json();
    expect(second.results.map((t: { name: string }) => t.name)).toEqual(['orders']);
    expect(second.pagination.hasMore).toBe(false);
  });

  test('a ref with a slash, encoded', async () => {
    const r = await get('/refs/feat%2Fx/tables');
    expect(r.statusCode).toBe(200);
    expect(r.json().results.find((t: { name: string }) => t.name === 'orders').rows).toBe(4);
  });

  test('an unknown ref is 404 with its code; a bad amount is 400', async () => {
    const r = await get('/refs/nope/tables');
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toMatch(/NotFoundError$/);
    const bad = await get('/refs/main/tables?amount=0');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('InvalidArgumentError');
  });

  test('401 without credentials, 403 for a user without repo:Read', async () => {
    const anon = await s.app.inject({ method: 'GET', url: `${base}/refs/main/tables` });
    expect(anon.statusCode).toBe(401);
    const denied = await get('/refs/main/tables', 'nobody');
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('PermissionDeniedError');
  });
});

describe('GET …/refs/{ref}/tables/{table}', () => {
  test("a table's schema, key, rows and files, as `sluice table show --json`", async () => {
    const r = await get('/refs/main/tables/orders');
    expect(r.statusCode).toBe(200);
    const t = r.json().table;
    expect(t).toMatchObject({ name: 'orders', ref: 'main', primaryKey: ['id'], rows: 3 });
    expect(t.columns.map((c: { name: string }) => c.name)).toEqual(['id', 'amount', 'status']);
    expect(t.files).toHaveLength(1);
  });

  test('an unknown table is TableNotFoundError, 404', async () => {
    const r = await get('/refs/main/tables/nope');
    expect(r.statusCode).toBe(404);
    expect(r.json().error).toMatchObject({ code: 'TableNotFoundError', data: { table: 'nope' } });
  });
});

describe('GET …/tables/{table}/preview', () => {
  test('the first N rows, and whether there are more', async () => {
    const r = await get('/refs/main/tables/orders/preview?limit=2');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.rows).toHaveLength(2);
    expect(body.truncated).toBe(true);
    expect(body.columns.map((c: { name: string }) => c.name)).toEqual(['id', 'amount', 'status']);
    const all = (await get('/refs/main/tables/orders/preview?limit=3')).json();
    expect(all.rows).toHaveLength(3);
    expect(all.truncated).toBe(false);
  });

  test('limit above 1000 or below 1 is refused (400); an unknown table is 404', async () => {
    expect((await get('/refs/main/tables/orders/preview?limit=1001')).statusCode).toBe(400);
    expect((await get('/refs/main/tables/orders/preview?limit=0')).statusCode).toBe(400);
    expect((await get('/refs/main/tables/nope/preview')).statusCode).toBe(404);
  });
});

describe('GET …/tables/{table}/history', () => {
  test('the commits that changed the table, newest first, paged', async () => {
    const r = await get('/refs/feat%2Fx/tables/orders/history');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ table: 'orders', ref: 'feat/x' });
    expect(body.results.map((c: { message: string }) => c.message)).toEqual([
      'ingest orders',
      'ingest orders',
    ]);
    const page1 = (await get('/refs/feat%2Fx/tables/orders/history?amount=1')).json();
    expect(page1.pagination).toMatchObject({ hasMore: true, nextOffset: body.results[0].id });
    const page2 = (
      await get(
        `/refs/feat%2Fx/tables/orders/history?amount=1&after=${page1.pagination.nextOffset}`,
      )
    ).json();
    expect(page2.results[0].id).toBe(body.results[1].id);
  });

  test('a table no commit changed is 404', async () => {
    expect((await get('/refs/main/tables/nope/history')).statusCode).toBe(404);
  });
});

describe('GET …/refs/{left}/tables/{table}/diff/{right}', () => {
  test('schema and rows by key, with samples, as `sluice table diff --json`', async () => {
    const r = await get('/refs/main/tables/orders/diff/feat%2Fx');
    expect(r.statusCode).toBe(200);
    const d = r.json().diff;
    expect(d).toMatchObject({
      table: 'orders',
      left: { ref: 'main' },
      right: { ref: 'feat/x' },
      primaryKey: ['id'],
      added: 1,
      removed: 0,
      changed: 1,
    });
    expect(d.samples.added).toHaveLength(1);
    const none = (await get('/refs/main/tables/orders/diff/feat%2Fx?sample=0')).json().diff;
    expect(none.samples.added).toEqual([]);
  });

  test('asks repo:Read on both refs; an unknown ref is 404, a bad sample 400', async () => {
    expect((await get('/refs/main/tables/orders/diff/nope')).statusCode).toBe(404);
    expect((await get('/refs/main/tables/orders/diff/feat%2Fx?sample=-1')).statusCode).toBe(400);
    expect((await get('/refs/main/tables/orders/diff/feat%2Fx', 'nobody')).statusCode).toBe(403);
  });
});
